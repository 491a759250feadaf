import Allocation
import Testing
import Values

struct ResultOutputTests {
    @Test("The table summary shows weeks and customers with exact fill rates")
    func table() throws {
        let s = oneWeek(supplyLots: 10, demands: [("a", 2, "1"), ("b", 5, "1"), ("c", 8, "1")], lotSize: 16)
        let text = try Allocator().allocate(s).tableSummary()
        #expect(text.contains("2026-W49        160        160      0"))
        #expect(text.contains("b             80         64      80.0%"))
        #expect(text.contains("c            128         64      50.0%"))
        #expect(text.contains("a             32         32     100.0%"))
    }

    @Test("The table summary lists the fixed chips released per line and week")
    func tableReleased() throws {
        var s = oneWeek(supplyLots: 1, demands: [("a", 0, "1"), ("b", 0, "1")], lotSize: 16)
        let week = Period(year: 2026, week: 49)!
        s.fixed = [FixedAllocation(order: "L-a", period: week, quantity: 32), FixedAllocation(order: "L-b", period: week, quantity: 16)]
        let text = try Allocator().allocate(s).tableSummary()
        // L-b was placed later: it is released first (whole), then one of L-a's two lots.
        #expect(text.contains("fixed chips released (the week could not hold its frozen lots)\nline      week  released\nL-a   2026-W49        16\nL-b   2026-W49        16\n"))
        #expect(!(try Allocator().allocate(oneWeek(supplyLots: 1, demands: [("a", 1, "1")]))).tableSummary().contains("released"))
    }

    @Test("The result JSON has the spec's keys in a fixed order, released lots included")
    func json() throws {
        let s = oneWeek(supplyLots: 3, demands: [("a", 2, "1"), ("b", 5, "1.5")], lotSize: 16)
        let text = try Allocator().allocate(s).jsonString()
        #expect(text == #"{"allocations":[{"order":"L-a","sku":"TRN3","period":"2026-W49","quantity":16},{"order":"L-b","sku":"TRN3","period":"2026-W49","quantity":32}],"released":[],"customers":[{"id":"a","sku":"TRN3","period":"2026-W49","demand":32,"fixed":0,"guaranteed":0,"allocated":16,"tier":1,"weight":1,"held":false},{"id":"b","sku":"TRN3","period":"2026-W49","demand":80,"fixed":0,"guaranteed":0,"allocated":32,"tier":1,"weight":1.5,"held":false}],"backlog":[{"order":"L-a","customer":"a","sku":"TRN3","quantity":16,"held":false},{"order":"L-b","customer":"b","sku":"TRN3","quantity":48,"held":false}],"periods":[{"sku":"TRN3","period":"2026-W49","available":48,"allocated":48,"carry":0}],"unallocated":[{"sku":"TRN3","quantity":0}]}"# + "\n")
    }

    @Test("Concurrent allocation gives the same result as serial allocation")
    func concurrent() async throws {
        let s = ScenarioGenerator(lines: 5_000, customers: 50, skus: 3, weeks: 8, seed: 11).generate()
        #expect(try await Allocator().allocateConcurrently(s) == Allocator().allocate(s))
    }

    @Test("The generator is deterministic from its seed and produces valid scenarios")
    func generator() throws {
        let a = ScenarioGenerator(lines: 2_000, customers: 40, skus: 3, weeks: 10, seed: 5).generate()
        #expect(a == ScenarioGenerator(lines: 2_000, customers: 40, skus: 3, weeks: 10, seed: 5).generate())
        #expect(a != ScenarioGenerator(lines: 2_000, customers: 40, skus: 3, weeks: 10, seed: 6).generate())
        try a.validate()
        let internalLots = a.orders.filter { $0.customer == "internal-dc" }.count
        #expect(internalLots > 700 && internalLots < 1100)
        #expect(a.customers.contains { $0.weight == ExactDecimal("1.5") })
        _ = try Allocator().allocate(a)
    }
}

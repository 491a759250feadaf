import Allocation
import Testing
import Values

/// Small cases a planner can check by hand.
struct WorkedExampleTests {
    @Test("Fair sharing of 10 lots among demands 2, 5 and 8 gives 2, 4 and 4")
    func maxMinFair() throws {
        let s = oneWeek(supplyLots: 10, demands: [("a", 2, "1"), ("b", 5, "1"), ("c", 8, "1")])
        #expect(lots(try Allocator().allocate(s)) == ["a": 2, "b": 4, "c": 4])
    }

    @Test("Weights 2 and 1 split 9 lots 6 to 3")
    func weighted() throws {
        let s = oneWeek(supplyLots: 9, demands: [("a", 100, "2"), ("b", 100, "1")])
        #expect(lots(try Allocator().allocate(s)) == ["a": 6, "b": 3])
    }

    @Test("A weight of 1.5 against 1 splits 10 lots 6 to 4, decided exactly")
    func nonIntegerWeight() throws {
        // Priorities 1.5/(2x+1) and 1/(2x+1): 1.5, 1, .5, .333, .3, .2, .214, .167, .167 (tie: older line wins), ...
        let s = oneWeek(supplyLots: 10, demands: [("a", 100, "1.5"), ("b", 100, "1")])
        #expect(lots(try Allocator().allocate(s)) == ["a": 6, "b": 4])
    }

    /// Proportional is Sainte-Laguë apportionment when no cap binds. Example from
    /// Wikipedia, "Sainte-Laguë method" (worked example: parties A–D with
    /// 100,000 / 80,000 / 30,000 / 20,000 votes and 8 seats → 3, 3, 1, 1;
    /// D'Hondt would give 4, 3, 1, 0).
    @Test("Proportional reproduces the published Sainte-Laguë seat table")
    func sainteLague() throws {
        let s = oneWeek(supplyLots: 8, demands: [("A", 100_000, "1"), ("B", 80_000, "1"), ("C", 30_000, "1"), ("D", 20_000, "1")],
                        method: .proportional)
        #expect(lots(try Allocator().allocate(s)) == ["A": 3, "B": 3, "C": 1, "D": 1])
    }

    /// Quotients v/1, v/3, v/5, … in order: A 100k, B 80k, A 33.3k, C 30k, B 26.7k,
    /// A 20k = D 20k (tie: A's line is older), B 16k, A 14.3k, B 11.4k, A 11.1k, C 10k.
    @Test("Proportional apportionment tables for several house sizes", arguments: [
        (1, [1, 0, 0, 0]), (2, [1, 1, 0, 0]), (4, [2, 1, 1, 0]), (6, [3, 2, 1, 0]), (7, [3, 2, 1, 1]), (8, [3, 3, 1, 1]),
        (10, [4, 4, 1, 1]), (11, [5, 4, 1, 1]),
    ])
    func sainteLagueTable(seats: Int, expected: [Int]) throws {
        let s = oneWeek(supplyLots: seats, demands: [("A", 100_000, "1"), ("B", 80_000, "1"), ("C", 30_000, "1"), ("D", 20_000, "1")],
                        method: .proportional)
        let got = lots(try Allocator().allocate(s))
        #expect(["A", "B", "C", "D"].map { got[$0] ?? 0 } == expected)
    }

    /// The Alabama paradox (Hamilton/largest remainder): shares 600/600/200 of 1,400.
    /// With 10 lots largest remainder gives 4, 4, 2; with 11 it gives 5, 5, 1 —
    /// C loses a lot because supply grew. The divisor rule never does that.
    @Test("One more lot of supply never takes a lot away from anyone (no Alabama paradox)")
    func alabama() throws {
        func largestRemainder(_ seats: Int, _ votes: [Int]) -> [Int] {
            let total = votes.reduce(0, +)
            var got = votes.map { $0 * seats / total }
            let order = votes.indices.sorted { votes[$0] * seats % total > votes[$1] * seats % total }
            for i in order.prefix(seats - got.reduce(0, +)) { got[i] += 1 }
            return got
        }
        #expect(largestRemainder(10, [600, 600, 200]) == [4, 4, 2])
        #expect(largestRemainder(11, [600, 600, 200]) == [5, 5, 1])
        var previous = [0, 0, 0]
        for supply in 1...40 {
            let s = oneWeek(supplyLots: supply, demands: [("A", 600, "1"), ("B", 600, "1"), ("C", 200, "1")], method: .proportional)
            let got = lots(try Allocator().allocate(s))
            let now = ["A", "B", "C"].map { got[$0] ?? 0 }
            #expect(zip(now, previous).allSatisfy { $0 >= $1 }, "supply \(supply): \(previous) -> \(now)")
            previous = now
        }
    }

    @Test("The internal floor takes its share first, then tiers share the rest")
    func floorThenTiers() throws {
        var s = oneWeek(supplyLots: 10, demands: [("aws", 20, "1"), ("b", 20, "1"), ("c", 20, "1")])
        s.policy.internalFloorShare = ExactDecimal("0.6")!
        s.customers[0].isInternal = true
        s.customers[2].tier = 2
        // Floor: floor(0.6 * 10) = 6 to aws. Tier 1 (aws at 6, b at 0) shares 4: b gets all 4 (1/1, 1/3, 1/5, 1/7 > 1/13).
        let r = try Allocator().allocate(s)
        #expect(lots(r) == ["aws": 6, "b": 4, "c": 0])
        #expect(r.customers.first { $0.customer == "aws" }?.guaranteed == 6)
    }

    @Test("Turn-and-earn weighs customers by lots shipped in the history window")
    func turnAndEarn() throws {
        var s = oneWeek(supplyLots: 8, demands: [("a", 100, "1"), ("b", 100, "1")], method: .turnAndEarn)
        s.history = [HistoryRow(customer: "a", sku: "TRN3", period: Period(year: 2026, week: 40)!, quantity: 3),
                     HistoryRow(customer: "b", sku: "TRN3", period: Period(year: 2025, week: 40)!, quantity: 50)]
        // a: H = 3 → weight 3; b: shipped outside the 13-week window → weight 1. 8 lots split 6 to 2.
        #expect(lots(try Allocator().allocate(s)) == ["a": 6, "b": 2])
    }

    @Test("Fixed lots are kept first; lots within the week's supply are never released")
    func fixedKept() throws {
        var s = oneWeek(supplyLots: 2, demands: [("a", 5, "1")], lotSize: 16)
        s.fixed = [FixedAllocation(order: "L-a", period: Period(year: 2026, week: 49)!, quantity: 16)]
        let r = try Allocator().allocate(s)
        #expect(r.allocations.map(\.quantity) == [32])
        #expect(r.backlog.map(\.quantity) == [64])
        #expect(r.released.isEmpty)
    }

    /// W49 has 3 lots for 6 fixed: c (outside, tier 2) gives back both of its lots,
    /// then b (outside, tier 1) one of its two; internal aws keeps its 2.
    /// W50 has 2 lots for the 3 released: b (tier 1) gets its lot back, c one of two.
    @Test("Fixed lots a week cannot hold are released, outside before internal and the highest tier first, and can be allocated again")
    func releaseOrderAcrossCustomers() throws {
        let w49 = Period(year: 2026, week: 49)!, w50 = w49.next
        var s = Scenario(policy: Policy(method: .fair))
        s.products = [Scenario.Product(sku: "TRN3", lotSize: 16)]
        s.supply = [SupplyRow(sku: "TRN3", period: w49, quantity: 3 * 16 + 5), SupplyRow(sku: "TRN3", period: w50, quantity: 2 * 16)]
        s.customers = [Scenario.Customer(id: "aws", isInternal: true, tier: 3), Scenario.Customer(id: "b", tier: 1), Scenario.Customer(id: "c", tier: 2)]
        for (n, id) in ["aws", "b", "c"].enumerated() {
            s.orders.append(Scenario.Line(id: "L-\(id)", customer: id, sku: "TRN3", quantity: 0, requestedPeriod: w49,
                                      placedAt: Timestamp(seconds: 1_790_000_000 + Int64(n))))
            s.fixed.append(FixedAllocation(order: "L-\(id)", period: w49, quantity: 32))
        }
        let r = try Allocator().allocate(s)
        #expect(r.released == [.init(order: "L-b", sku: "TRN3", period: w49, quantity: 16),
                               .init(order: "L-c", sku: "TRN3", period: w49, quantity: 32)])
        #expect(r.allocations == [.init(order: "L-aws", sku: "TRN3", period: w49, quantity: 32),
                                  .init(order: "L-b", sku: "TRN3", period: w49, quantity: 16),
                                  .init(order: "L-b", sku: "TRN3", period: w50, quantity: 16),
                                  .init(order: "L-c", sku: "TRN3", period: w50, quantity: 16)])
        #expect(r.periods.map(\.carry) == [5, 5])
        #expect(r.backlog.map { "\($0.order) \($0.quantity)" } == ["L-c 16"])
        let c49 = r.customers.first { $0.customer == "c" && $0.period == w49 }
        #expect(c49?.fixed == 0 && c49?.allocated == 0 && c49?.demand == 32)
        let json = r.jsonString()
        #expect(json.contains(#""released":[{"order":"L-b","sku":"TRN3","period":"2026-W49","quantity":16},{"order":"L-c","sku":"TRN3","period":"2026-W49","quantity":32}]"#))
    }

    /// Four lines of one customer, one fixed lot each in W49: L-1 requested W48,
    /// L-2 W49 placed first, L-3 and L-4 W49 placed later (L-4 the greater id).
    /// Step 6 serves them L-1, L-2, L-3, L-4, so they are released L-4 first.
    @Test("Within a customer group the line served last is released first, and only as much as needed",
          arguments: [(0, ["L-1", "L-2", "L-3", "L-4"]), (1, ["L-2", "L-3", "L-4"]), (2, ["L-3", "L-4"]), (3, ["L-4"]), (4, [])])
    func releaseOrderWithinGroup(supplyLots: Int, released: [String]) throws {
        let w49 = Period(year: 2026, week: 49)!
        var s = Scenario(policy: Policy(method: .fair))
        s.products = [Scenario.Product(sku: "TRN3", lotSize: 4)]
        s.supply = [SupplyRow(sku: "TRN3", period: w49, quantity: supplyLots * 4)]
        s.customers = [Scenario.Customer(id: "a"), Scenario.Customer(id: "b")]
        let lines = [("L-1", "b", w49.advanced(by: -1), 0), ("L-2", "a", w49, 0), ("L-3", "b", w49, 1), ("L-4", "a", w49, 1)]
        for (id, customer, week, later) in lines.reversed() {
            s.orders.append(Scenario.Line(id: id, customer: customer, sku: "TRN3", quantity: 4, requestedPeriod: week,
                                      placedAt: Timestamp(seconds: 1_790_000_000 + Int64(later))))
            s.fixed.append(FixedAllocation(order: id, period: w49, quantity: 4))
        }
        let r = try Allocator().allocate(s)
        #expect(r.released.map(\.order) == released)
        #expect(r.released.allSatisfy { $0.quantity == 4 })
        #expect(r.allocations.map(\.quantity).reduce(0, +) == supplyLots * 4)
    }

    @Test("Unused supply is carried into the next week and reported at the end")
    func carry() throws {
        var s = oneWeek(supplyLots: 0, demands: [("a", 1, "1")], lotSize: 16)
        s.products[0].onHand = 10
        s.supply = [SupplyRow(sku: "TRN3", period: Period(year: 2026, week: 49)!, quantity: 5),
                    SupplyRow(sku: "TRN3", period: Period(year: 2026, week: 51)!, quantity: 20)]
        let r = try Allocator().allocate(s)
        #expect(r.periods.map(\.available) == [15, 15, 35])
        #expect(r.periods.map(\.carry) == [15, 15, 19])
        #expect(r.unallocated.map(\.quantity) == [19])
    }
}

import Allocation
import Testing

/// `PreparedScenario`, which a quote allocates twice from (with an order and
/// without it), on random scenarios.
struct PreparedScenarioTests {
    @Test("Leaving lines out of a prepared scenario allocates exactly as the scenario without those lines and their fixed lots, and the prepared scenario itself as Allocator does")
    func leavingOutIsRemoving() throws {
        var leftSomethingOut = 0, changedTheResult = 0
        for seed in UInt64(0)..<400 {
            let scenario = RandomScenario.make(seed: 140_000 + seed, large: seed % 5 == 0)
            let prepared = try PreparedScenario(scenario)
            #expect(prepared.allocate() == (try Allocator().allocate(scenario)), "seed \(seed)")

            // Every third line, from a seed-dependent start (some with fixed lots, some not).
            let positions = Array(stride(from: Int(seed % 3), to: scenario.orders.count, by: 3))
            let leftOut = Set(positions.map { scenario.orders[$0].id })
            var without = scenario
            without.orders.removeAll { leftOut.contains($0.id) }
            without.fixed.removeAll { leftOut.contains($0.order) }
            let expected = try Allocator().allocate(without)
            #expect(prepared.leavingOut(lines: positions).allocate() == expected, "seed \(seed)")
            if !positions.isEmpty { leftSomethingOut += 1 }
            if expected != prepared.allocate() { changedTheResult += 1 }
        }
        #expect(leftSomethingOut > 300 && changedTheResult > 200, "left out \(leftSomethingOut), changed \(changedTheResult)")
    }
}

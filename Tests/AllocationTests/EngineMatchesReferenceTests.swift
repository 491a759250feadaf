import Allocation
import Testing

struct EngineMatchesReferenceTests {
    @Test("The fast engine gives exactly the reference result on thousands of small random scenarios, releases included")
    func smallScenarios() throws {
        var releasing = 0
        for seed in UInt64(0)..<3000 {
            let s = RandomScenario.make(seed: seed)
            let fast = try Allocator().allocate(s)
            let slow = try ReferenceAllocator().allocate(s)
            #expect(fast == slow, "seed \(seed)")
            if fast != slow { return }
            if !fast.released.isEmpty { releasing += 1 }
        }
        #expect(releasing > 300, "scenarios with released lots: \(releasing)")
    }

    @Test("The fast engine gives exactly the reference result when its water-level jump is used, releases included")
    func largeScenarios() throws {
        var releasing = 0
        for seed in UInt64(0)..<300 {
            let s = RandomScenario.make(seed: 1_000_000 + seed, large: true)
            let fast = try Allocator().allocate(s)
            let slow = try ReferenceAllocator().allocate(s)
            #expect(fast == slow, "seed \(1_000_000 + seed)")
            if fast != slow { return }
            if !fast.released.isEmpty { releasing += 1 }
        }
        #expect(releasing > 30, "scenarios with released lots: \(releasing)")
    }

    @Test("The fast engine gives exactly the reference result on a generated scenario")
    func generatedScenario() throws {
        let s = ScenarioGenerator(lines: 300, customers: 12, skus: 2, weeks: 5, seed: 7).generate()
        #expect(try Allocator().allocate(s) == ReferenceAllocator().allocate(s))
    }
}

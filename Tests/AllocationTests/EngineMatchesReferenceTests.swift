import Allocation
import Testing

struct EngineMatchesReferenceTests {
    @Test("The fast engine gives exactly the reference result on thousands of small random scenarios")
    func smallScenarios() throws {
        for seed in UInt64(0)..<3000 {
            let s = RandomScenario.make(seed: seed)
            let fast = outcome { try Allocator().allocate(s) }
            let slow = outcome { try ReferenceAllocator().allocate(s) }
            #expect(fast == slow, "seed \(seed)")
            if fast != slow { return }
        }
    }

    @Test("The fast engine gives exactly the reference result when its water-level jump is used")
    func largeScenarios() throws {
        for seed in UInt64(0)..<300 {
            let s = RandomScenario.make(seed: 1_000_000 + seed, large: true)
            let fast = outcome { try Allocator().allocate(s) }
            let slow = outcome { try ReferenceAllocator().allocate(s) }
            #expect(fast == slow, "seed \(1_000_000 + seed)")
            if fast != slow { return }
        }
    }

    @Test("The fast engine gives exactly the reference result on a generated scenario")
    func generatedScenario() throws {
        let s = ScenarioGenerator(lines: 300, customers: 12, skus: 2, weeks: 5, seed: 7).generate()
        #expect(try Allocator().allocate(s) == ReferenceAllocator().allocate(s))
    }
}

import Allocation
import ArgumentParser
import Foundation

extension AllocateCommand {
    /// `chipsales allocate generate-scenario`
    struct GenerateScenario: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate-scenario",
            abstract: "Write a realistic synthetic scenario for benchmarks and what-ifs.",
            discussion: """
                One internal buyer with a large share of demand, outside buyers across tiers, \
                contract minimums and caps on a few, some holds, demand about 1.5x supply. The \
                same seed always gives the same file.

                Example:
                  chipsales allocate generate-scenario --lines 10000 --customers 200 --skus 3 --weeks 26 --seed 7 > scenario.json
                """)

        @Option(parsing: .unconditional, help: "Open order lines.") var lines = 1_000
        @Option(parsing: .unconditional, help: "Customers (one internal).") var customers = 20
        @Option(parsing: .unconditional, help: "SKUs.") var skus = 3
        @Option(parsing: .unconditional, help: "Weeks of supply.") var weeks = 26
        @Option(help: "Random seed.") var seed: UInt64 = 1
        @Option(help: "Write to this file instead of standard output.") var output: String?

        func validate() throws {
            guard (1...10_000_000).contains(lines) else { throw ValidationError("--lines must be between 1 and 10000000") }
            guard (1...100_000).contains(customers) else { throw ValidationError("--customers must be between 1 and 100000") }
            guard (1...100).contains(skus) else { throw ValidationError("--skus must be between 1 and 100") }
            guard (1...520).contains(weeks) else { throw ValidationError("--weeks must be between 1 and 520") }
        }

        func run() throws {
            let scenario = ScenarioGenerator(lines: lines, customers: customers, skus: skus, weeks: weeks, seed: seed).generate()
            let bytes = scenario.jsonBytes()
            if let output {
                try OutputFile.write(bytes: bytes, to: output)
            } else {
                StandardOutput.write(bytes: bytes)
            }
        }
    }
}

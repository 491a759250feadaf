import Allocation
import ArgumentParser
import Domain
import Foundation
import Store

extension AllocateCommand {
    /// `chipsales allocate simulate FILE`
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Allocate a scenario file and print the result; no database needed.",
            discussion: """
                The scenario format is in docs/allocation.md. A bad file is refused with exit 65 \
                and the record named. Fixed lots a week cannot hold are released, never refused: \
                the result lists them in `released` (the table: under each SKU's weeks).

                Examples:
                  chipsales allocate simulate scenario.json > result.json
                  chipsales allocate simulate --format table scenario.json
                  chipsales allocate generate-scenario --lines 1000 | chipsales allocate simulate -
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable { case json, table }

        @Argument(help: "Scenario JSON file, or - for standard input.") var file: String
        @Option(help: "json (the full result, released lots included) or table (a planner's summary).") var format: Format = .json

        func run() throws {
            let bytes = try Self.read(file)
            let scenario: Scenario
            let result: AllocationResult
            do {
                scenario = try Scenario(json: bytes)
                result = try Allocator().allocate(scenario)
            } catch {
                throw CommandFailure(message: "\(Echo.path(file)): \(error)", status: .dataError)
            }
            switch format {
            case .json: StandardOutput.write(bytes: result.jsonBytes())
            case .table: StandardOutput.line(result.tableSummary())
            }
        }

        /// The file's bytes, or standard input's for `-`.
        static func read(_ file: String) throws -> Data {
            try InputFile(path: file).readToEnd()
        }
    }
}

import Allocation
import ArgumentParser
import Domain
import Foundation
import Store

extension AllocateCommand {
    /// `chipsales allocate simulate FILE`
    struct Simulate: AsyncParsableCommand {
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
        @Flag(help: "Log each phase's time and the peak memory to stderr.") var verbose = false
        @OptionGroup var progressOptions: ProgressOptions

        func run() async throws {
            let progress = progressOptions.progress()
            defer { progress.finish() }
            let log = PhaseLog(isOn: verbose)
            let input = try InputFile(path: file)
            var read = 0
            progress.start("reading the scenario", total: Self.size(of: file), unit: .bytes)
            let scenario: Scenario
            let result: AllocationResult
            do {
                // The engine makes the checks across records (validate()) itself: once is enough.
                scenario = try Scenario(reading: { buffer in
                    let got = try input.read(into: buffer)
                    read += got
                    progress.advance(to: read)
                    return got
                }, validating: false)
                log.phase("read \(scenario.orders.count) order lines (\(read) bytes)")
                progress.start("allocating \(Progress.orderLines(scenario.orders.count))")
                result = try await Allocator().allocateConcurrently(scenario)
                log.phase("allocated (\(result.allocations.count) allocation rows)")
            } catch let refusal as ScenarioError {
                throw CommandFailure(message: "\(Echo.path(file)): \(refusal)", status: .dataError)
            }
            switch format {
            case .json:
                progress.start("writing the result", unit: .bytes)
                var written = 0
                result.writeJSON { chunk in
                    StandardOutput.write(bytes: chunk)
                    written += chunk.count
                    progress.advance(to: written)
                }
                try StandardOutput.finish()
                log.phase("wrote the result (\(written) bytes)")
            case .table:
                StandardOutput.line(result.tableSummary())
            }
        }

        /// A regular file's size in bytes (the progress line's total), `nil` for standard input or a pipe.
        static func size(of file: String) -> Int? {
            guard file != "-", let attributes = try? FileManager.default.attributesOfItem(atPath: file),
                  attributes[.type] as? FileAttributeType == .typeRegular else { return nil }
            return (attributes[.size] as? NSNumber)?.intValue
        }
    }
}

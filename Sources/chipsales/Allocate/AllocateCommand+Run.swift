import Allocation
import ArgumentParser
import Domain
import Foundation
import Store

extension AllocateCommand {
    /// `chipsales allocate run`
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ration the horizon's supply among open orders and store the plan.",
            discussion: """
                As of a week (default: this ISO week), reads the supply from that week on, on-hand \
                stock, open lines, the current plan's frozen weeks and shipment history; allocates by \
                the policy (chipsales policy show); stores the run and makes it the current plan in \
                one transaction. One run at a time: a second exits 75, or waits with --wait.

                Examples:
                  chipsales allocate run
                  chipsales allocate run --as-of 2026-W49 --dry-run
                  chipsales allocate run --wait --format json
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "First week of the horizon (default: the current ISO week, UTC).") var asOf: WeekArgument?
        @Flag(help: "Compute and print, but store nothing.") var dryRun = false
        @Flag(help: "Wait for a run in progress instead of exiting 75.") var wait = false
        @Option(help: "table or json (one document: snake_case keys, chips and percentages as numbers).") var format: RunFormat = .table
        @OptionGroup var progressOptions: ProgressOptions

        func run() throws {
            let progress = progressOptions.progress()
            defer { progress.finish() }
            let connection = try database.connect()
            let runs = RunStore(connection)
            if !dryRun {
                do {
                    try runs.lock(wait: wait)
                } catch let busy as RunInProgress {
                    throw CommandFailure(message: busy.description, status: .tryAgain)
                }
            }
            let week = asOf?.week ?? Period.current()
            let startedAt = Date()
            let clock = ContinuousClock()
            let reading = clock.now
            progress.start("reading the plan's input")
            let input = try PlanInput.read(asOf: week, on: connection)
            connection.logger.info("read the input", metadata: ["lines": "\(input.scenario.orders.count)", "elapsed": "\(clock.now - reading)"])
            let began = clock.now
            progress.start("allocating \(Progress.orderLines(input.scenario.orders.count))")
            let result = try Self.allocate(input.scenario)
            let elapsed = clock.now - began
            let computeMilliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
            let previous = try runs.currentRunID()
            var runID: Int?
            var trimmed = 0
            connection.logger.info("allocated", metadata: ["elapsed": "\(elapsed)"])
            let before = try previous.map { try runs.customerTotals(run: $0) } ?? [:]
            if !dryRun {
                let writing = clock.now
                progress.start("storing the run")
                let saved = try runs.save(result, input: input, startedAt: startedAt, computeMilliseconds: computeMilliseconds)
                connection.logger.info("stored the run", metadata: ["run": "\(saved.id)", "elapsed": "\(clock.now - writing)"])
                runID = saved.id
                trimmed = saved.trimmed
                try runs.unlock()
            }
            let holdReasons = try CustomerStore(connection).list().reduce(into: [String: String]()) { reasons, record in
                reasons[record.customer.id] = record.customer.holdReason
            }
            let customers = RunSummary.customers(input, result, holdReasons: holdReasons)
            let released = try input.releases(in: result)
            // The stored plan is the result, unless the commit-time check trimmed it.
            let after = trimmed > 0
                ? try runs.customerTotals(run: runID!)
                : Dictionary(uniqueKeysWithValues: customers.map { ($0.id, $0.allocated) })
            let summary = RunSummary(
                runID: runID, previousRunID: previous, input: input, result: result,
                changes: PlanChange.between(before, after, released: Release.byCustomer(released)),
                computeMilliseconds: computeMilliseconds, trimmed: trimmed, released: released, customers: customers)
            progress.finish()
            StandardOutput.line(summary.render(format, dryRun: dryRun))
        }

        /// The engine (SKUs on concurrent tasks; the same result as the serial
        /// engine).
        static func allocate(_ scenario: Scenario) throws -> AllocationResult {
            final class Outcome: @unchecked Sendable {
                var result: Result<AllocationResult, Error> = .failure(CancellationError())
            }
            let outcome = Outcome()
            let done = DispatchSemaphore(value: 0)
            Task.detached {
                do {
                    outcome.result = .success(try await Allocator().allocateConcurrently(scenario))
                } catch {
                    outcome.result = .failure(error)
                }
                done.signal()
            }
            done.wait()
            // A ScenarioError becomes exit 65 in CommandFailure.
            return try outcome.result.get()
        }

    }
}

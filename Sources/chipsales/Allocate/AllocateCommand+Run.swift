import Allocation
import ArgumentParser
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
        @Option(help: "table or json.") var format: OutputFormat = .table

        func run() throws {
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
            let input = try PlanInput.read(asOf: week, on: connection)
            let clock = ContinuousClock()
            let began = clock.now
            let result = try Self.allocate(input.scenario)
            let elapsed = clock.now - began
            let computeMilliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
            let previous = try runs.currentRunID()
            var runID: Int?
            var trimmed = 0
            var changes: [PlanChange]
            if dryRun {
                let before = try previous.map { try runs.customerTotals(run: $0) } ?? [:]
                changes = PlanChange.between(before, Self.totals(result, input))
            } else {
                let saved = try runs.save(result, input: input, startedAt: startedAt, computeMilliseconds: computeMilliseconds)
                runID = saved.id
                trimmed = saved.trimmed
                changes = try previous.map { try runs.diff($0, saved.id) } ?? []
                try runs.unlock()
            }
            let summary = RunSummary(
                runID: runID, previousRunID: previous, input: input, result: result, changes: changes,
                computeMilliseconds: computeMilliseconds, trimmed: trimmed)
            print(summary.render(format, dryRun: dryRun))
        }

        /// The engine, with its refusals turned into exit 65.
        static func allocate(_ scenario: Scenario) throws -> AllocationResult {
            do {
                return try Allocator().allocate(scenario)
            } catch let error as ScenarioError {
                throw CommandFailure(message: "the stored data cannot be allocated: \(error)", status: .dataError)
            } catch let error as AllocationError {
                throw CommandFailure(message: "cannot allocate: \(error)", status: .dataError)
            }
        }

        static func totals(_ result: AllocationResult, _ input: PlanInput) -> [String: Int] {
            let owner = Dictionary(uniqueKeysWithValues: input.scenario.orders.map { ($0.id, $0.customer) })
            var totals: [String: Int] = [:]
            for a in result.allocations { if let c = owner[a.order] { totals[c, default: 0] += a.quantity } }
            return totals
        }
    }
}

extension Period {
    /// The ISO week `date` falls in (UTC).
    static func current(_ date: Date = Date()) -> Period {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        // Day 0 (1970-01-01) is a Thursday; its week starts three days earlier.
        let shifted = days + 3
        return Period(ordinal: shifted >= 0 ? shifted / 7 : (shifted - 6) / 7)
    }
}

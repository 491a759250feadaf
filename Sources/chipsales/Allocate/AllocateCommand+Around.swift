import Allocation
import ArgumentParser
import Domain
import Foundation
import Store
import Values

extension AllocateCommand {
    /// `chipsales allocate export-scenario`
    struct ExportScenario: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-scenario",
            abstract: "Write the exact scenario a run would use, for what-if questions.",
            discussion: """
                `allocate simulate` on the file gives exactly the allocations `allocate run` would \
                store. Edit it to ask what-if questions.

                Example:
                  chipsales allocate export-scenario --as-of 2026-W49 scenario.json
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "First week of the horizon (default: the current ISO week, UTC).") var asOf: WeekArgument?
        @Argument(help: "Output file (default: standard output).") var file: String?
        @OptionGroup var progressOptions: ProgressOptions

        func run() throws {
            let progress = progressOptions.progress()
            defer { progress.finish() }
            let connection = try database.connect()
            progress.start("reading the plan's input")
            let input = try PlanInput.read(asOf: asOf?.week ?? Period.current(), on: connection)
            progress.start("writing \(Progress.orderLines(input.scenario.orders.count))")
            if let file {
                try OutputFile.write(bytes: input.scenario.jsonBytes(), to: file)
                progress.finish()
                StandardError.line("wrote the scenario as of \(input.asOf) (\(input.scenario.orders.count) open lines) to \(Echo.path(file))")
            } else {
                progress.finish()
                input.scenario.writeJSON { StandardOutput.write(bytes: $0) }
            }
        }
    }

    /// `chipsales allocate history`
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List allocation runs, newest first.", discussion: "Example:\n  chipsales allocate history --format json")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Option(parsing: .unconditional, help: "At most this many runs.") var limit = 50

        func validate() throws {
            guard limit >= 0 else { throw ValidationError("--limit must be 0 or more (got \(limit))") }
        }

        func run() throws {
            var listing = Listing(columns: [
                "run", "current", "as_of", "method", "internal_floor", "frozen_weeks", "finished_at", "run_by", "open_lines",
                "demand", "allocated", "backlog", "trimmed", "released", "compute_ms",
            ])
            let store = RunStore(try database.connect())
            let runs = try store.history(limit: limit)
            for r in runs {
                listing.append([
                    .int(r.id), .bool(r.isCurrent), .text(r.asOf), .text(r.method), .decimal(r.internalFloor), .int(r.frozenWeeks),
                    .text(Timestamp(r.finishedAt).wholeSeconds.text), .text(r.runBy), .int(r.openLines), .int(r.demandChips),
                    .int(r.allocatedChips), .int(r.backlogChips), .int(r.trimmedChips), .int(r.releasedChips),
                    .int(r.computeMilliseconds),
                ])
            }
            StandardOutput.line(listing.render(output.format))
            if runs.count == limit, let note = Listing.truncationNote(shown: runs.count, total: try store.runCount(), of: "runs") {
                FileHandle.standardErrorLine(note)
            }
        }
    }

    /// `chipsales allocate diff`
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Who gained and who lost chips between two runs, and what the later run released.",
            discussion: """
                Per customer: chips in the earlier and the later plan, the change, and the frozen chips \
                the later run released from the customer's lines (supply or stock fell below the \
                frozen lots). The table also lists the released chips per line and week.

                Example:
                  chipsales allocate diff 6 7
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "The earlier run.") var from: Int
        @Argument(help: "The later run.") var to: Int

        func run() throws {
            let runs = RunStore(try database.connect())
            var listing = Listing(columns: ["customer", "before", "after", "change", "released"])
            for c in try runs.diff(from, to) {
                listing.append([.text(c.customer), .int(c.before), .int(c.after), .int(c.change), .int(c.released)])
            }
            guard output.format == .table else { return StandardOutput.line(listing.render(output.format)) }
            StandardOutput.line(listing.rows.isEmpty
                ? "Runs \(from) and \(to) give every customer the same chips."
                : listing.render(.table))
            let released = try runs.releases(run: to)
            if !released.isEmpty {
                StandardOutput.line("\nRun \(to) released \(released.reduce(0) { $0 + $1.quantity }) frozen chips "
                    + "(supply or stock fell below the frozen lots):")
                StandardOutput.line(Release.listing(released).render(.table))
            }
        }
    }
}

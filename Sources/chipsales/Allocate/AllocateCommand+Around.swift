import Allocation
import ArgumentParser
import Domain
import Foundation
import Store

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

        func run() throws {
            let input = try PlanInput.read(asOf: asOf?.week ?? Period.current(), on: try database.connect())
            let bytes = input.scenario.jsonBytes()
            if let file {
                try OutputFile.write(bytes: bytes, to: file)
                StandardError.line("wrote the scenario as of \(input.asOf) (\(input.scenario.orders.count) open lines) to \(file)")
            } else {
                StandardOutput.write(bytes: bytes)
            }
        }
    }

    /// `chipsales allocate explain`
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show, per line and week, what an order's customer demanded, was guaranteed and got, and why.",
            discussion: "Example:\n  chipsales allocate explain 42")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Order id.") var order: Int

        func run() throws {
            let explanation = try RunStore(try database.connect()).explain(order: order)
            var listing = Listing(columns: [
                "line", "sku", "week", "line_allocated", "customer_demand", "fixed", "guaranteed", "customer_allocated",
                "tier", "weight", "held", "available", "carry", "why",
            ])
            for r in explanation.rows {
                listing.append([
                    .int(r.line), .text(r.sku), .text(r.week), .int(r.lineAllocated), .int(r.demand), .int(r.fixed),
                    .int(r.guaranteed), .int(r.allocated), .int(r.tier), .decimal(r.weight), .bool(r.held), .int(r.available),
                    .int(r.carry), .text(r.reasons.joined(separator: "; ")),
                ])
            }
            var lines = Listing(columns: ["line", "sku", "requested", "open", "planned", "unplanned"])
            for l in explanation.lines {
                lines.append([.int(l.line), .text(l.sku), .text(l.week), .int(l.open), .int(l.planned), .int(max(0, l.open - l.planned))])
            }
            switch output.format {
            case .json:
                StandardOutput.line(JSONValue.object([
                    ("order", .int(explanation.orderID)), ("customer", .string(explanation.customer)),
                    ("run", .int(explanation.runID)), ("as_of", .string(explanation.asOf)),
                    ("lines", .array(lines.jsonObjects)), ("weeks", .array(listing.jsonObjects)),
                ]).render())
            case .csv:
                StandardOutput.line(listing.render(.csv))
            case .table:
                StandardOutput.line("Order \(explanation.orderID) of \(explanation.customer) in plan \(explanation.runID) (as of \(explanation.asOf))\n")
                StandardOutput.line(lines.render(.table))
                StandardOutput.line("\nPer week (the customer's figures cover all its lines of the SKU)")
                StandardOutput.line(listing.render(.table))
            }
        }
    }

    /// `chipsales allocate history`
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List allocation runs, newest first.", discussion: "Example:\n  chipsales allocate history --format json")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Option(help: "At most this many runs.") var limit = 50

        func validate() throws {
            guard limit >= 0 else { throw ValidationError("--limit must be 0 or more (got \(limit))") }
        }

        func run() throws {
            var listing = Listing(columns: [
                "run", "current", "as_of", "method", "internal_floor", "frozen_weeks", "finished_at", "run_by", "open_lines",
                "demand", "allocated", "backlog", "trimmed", "compute_ms",
            ])
            for r in try RunStore(try database.connect()).history(limit: limit) {
                listing.append([
                    .int(r.id), .bool(r.isCurrent), .text(r.asOf), .text(r.method), .decimal(r.internalFloor), .int(r.frozenWeeks),
                    .text(Timestamp.format(r.finishedAt)), .text(r.runBy), .int(r.openLines), .int(r.demandChips),
                    .int(r.allocatedChips), .int(r.backlogChips), .int(r.trimmedChips), .int(r.computeMilliseconds),
                ])
            }
            StandardOutput.line(listing.render(output.format))
        }
    }

    /// `chipsales allocate diff`
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Who gained and who lost chips between two runs.",
            discussion: "Example:\n  chipsales allocate diff 6 7")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "The earlier run.") var from: Int
        @Argument(help: "The later run.") var to: Int

        func run() throws {
            var listing = Listing(columns: ["customer", "before", "after", "change"])
            for c in try RunStore(try database.connect()).diff(from, to) {
                listing.append([.text(c.customer), .int(c.before), .int(c.after), .int(c.change)])
            }
            if listing.rows.isEmpty && output.format == .table {
                StandardOutput.line("Runs \(from) and \(to) give every customer the same chips.")
            } else {
                StandardOutput.line(listing.render(output.format))
            }
        }
    }
}

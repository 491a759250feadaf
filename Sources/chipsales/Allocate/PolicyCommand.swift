import Allocation
import ArgumentParser
import Foundation
import Store
import Values

/// `chipsales policy`
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "The allocation policy: method, internal floor, frozen and history weeks.",
        subcommands: [Show.self, Change.self])

    static func listing(_ records: [PolicyRecord]) -> Listing {
        var listing = Listing(columns: ["id", "method", "internal_floor", "frozen_weeks", "history_weeks", "set_at", "set_by"])
        for p in records {
            listing.append([
                .int(p.id), .text(p.method.rawValue), .decimal(p.internalFloor), .int(p.frozenWeeks), .int(p.historyWeeks),
                .text(Timestamp(p.setAt).wholeSeconds.text), .text(p.setBy),
            ])
        }
        return listing
    }
}

extension Policy.Method: ExpressibleByArgument {}

extension PolicyCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the policy in force (and, with --history, every earlier one).",
            discussion: "Example:\n  chipsales policy show --history")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Flag(help: "List every policy ever set, newest first.") var history = false

        func run() throws {
            let store = PolicyStore(try database.connect())
            let records = history ? try store.history() : [try store.current()]
            let listing = PolicyCommand.listing(records)
            StandardOutput.line(output.format == .json && !history ? listing.jsonObjects[0].render() : listing.render(output.format))
        }
    }

    struct Change: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change the policy (kept with its history; every run records the policy it used).",
            discussion: """
                Example:
                  chipsales policy set --method fair --internal-floor 0.6 --frozen-weeks 2 --history-weeks 13
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "fair, proportional or turn-and-earn.") var method: Policy.Method?
        @Option(parsing: .unconditional, help: "Share of each week's lots reserved for internal buyers, 0 to 1 (exact).") var internalFloor: DecimalArgument?
        @Option(parsing: .unconditional, help: "Weeks from the as-of week whose current allocations are kept.") var frozenWeeks: Int?
        @Option(parsing: .unconditional, help: "Weeks of shipments that turn-and-earn counts.") var historyWeeks: Int?

        func validate() throws {
            if method == nil && internalFloor == nil && frozenWeeks == nil && historyWeeks == nil {
                throw ValidationError("nothing to change: give --method, --internal-floor, --frozen-weeks or --history-weeks")
            }
        }

        func run() throws {
            let record = try PolicyStore(try database.connect()).set(PolicyChanges(
                method: method, internalFloor: internalFloor?.value, frozenWeeks: frozenWeeks, historyWeeks: historyWeeks))
            StandardOutput.line(PolicyCommand.listing([record]).render(.table))
        }
    }
}

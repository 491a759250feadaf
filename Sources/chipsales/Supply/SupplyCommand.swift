import ArgumentParser
import Domain
import Store

/// `chipsales supply`
struct SupplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supply", abstract: "Planned output per SKU and ISO week.",
        subcommands: [Change.self, Import.self, List.self])
}

extension SupplyCommand {
    struct Change: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Set one week's planned output (replaces it).",
            discussion: "Example:\n  chipsales supply set --sku TRN3 --week 2026-W49 --quantity 40000")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "SKU.") var sku: String
        @Option(help: "ISO week, e.g. 2026-W49.") var week: WeekArgument
        @Option(parsing: .unconditional, help: "Planned output in chips (>= 0).") var quantity: Int

        func run() throws {
            let entry = try SupplyEntry(sku: sku, week: week.week, quantity: quantity)
            try SupplyStore(try database.connect()).set(entry)
            StandardOutput.line("Supply of \(entry.sku) in \(entry.week) set to \(entry.quantity) chips.")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import planned output from CSV, all or nothing.",
            discussion: """
                The file's header is sku,week,quantity. Every bad row is reported with its line and \
                nothing is stored unless the whole file is valid. Rows replace existing weeks.

                Example:
                  chipsales supply import supply.csv
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "CSV file.") var file: String
        @OptionGroup var progressOptions: ProgressOptions

        func run() throws {
            let progress = progressOptions.progress()
            defer { progress.finish() }
            let store = SupplyStore(try database.connect())
            let stored = try store.importCSV(path: file, progress: progress.importing("supply rows"))
            progress.finish()
            StandardOutput.line("Imported \(stored) supply row\(stored == 1 ? "" : "s") from \(Echo.path(file)).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List planned output.", discussion: "Example:\n  chipsales supply list --sku TRN3 --from 2026-W49 --to 2027-W10")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Option(help: "Only this SKU.") var sku: SKUArgument?
        @Option(help: "From this ISO week (inclusive).") var from: WeekArgument?
        @Option(help: "To this ISO week (inclusive).") var to: WeekArgument?

        func run() throws {
            var listing = Listing(columns: ["sku", "week", "quantity"])
            for entry in try SupplyStore(try database.connect()).list(sku: sku?.sku, from: from?.week, to: to?.week) {
                listing.append([.text(entry.sku), .text(entry.week.description), .int(entry.quantity)])
            }
            StandardOutput.line(listing.render(output.format))
        }
    }
}

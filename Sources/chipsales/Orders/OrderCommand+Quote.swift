import ArgumentParser
import Domain
import Store

extension OrderCommand {
    /// `chipsales order quote`
    struct Quote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What the plan would confirm for an order if it were entered now (stores nothing).",
            discussion: """
                Re-runs the plan for the order's SKUs as of --as-of (default: the current plan's \
                as-of week; with no plan, this ISO week), under the current policy and frozen \
                weeks, once with the order and once without it, and prints per line the chips \
                confirmed week by week and the unconfirmed rest, then which customers' lines \
                would lose chips to it (displaced). Lines are given and checked as for order \
                create. Entering the order right after and running the plan as of the same week \
                confirms exactly this, unless other data changed in between.

                Examples:
                  chipsales order quote --customer helios-dc --line TRN3:960:2026-W50
                  chipsales order quote --customer helios-dc --line TRN3:512:2026-W50 --line TRN3-BOARD:64:2026-W51 --format json
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Option(help: "Customer id.") var customer: String
        @Option(help: "SKU:QUANTITY:WEEK[:UNIT_PRICE] (repeatable).") var line: [String] = []
        @Option(help: "First week of the re-run (default: the current plan's as-of week, else this ISO week).")
        var asOf: WeekArgument?

        func validate() throws {
            if line.isEmpty { throw ValidationError("give at least one --line SKU:QUANTITY:WEEK, like --line TRN3:512:2026-W50") }
        }

        func run() async throws {
            let lines = try line.enumerated().map { try LineDraft(number: $0.offset + 1, parsing: $0.element) }
            let quote = try await QuoteStore(try database.connect()).quote(customer: customer, lines: lines, asOf: asOf?.week)
            StandardOutput.line(QuoteView(quote: quote).render(output.format))
        }
    }
}

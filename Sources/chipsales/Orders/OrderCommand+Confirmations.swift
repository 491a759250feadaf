import ArgumentParser
import Foundation
import Store

extension OrderCommand {
    /// `chipsales order confirmations`
    struct Confirmations: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What to send a customer: each open line with the plan's confirmed chips by week.",
            discussion: """
                Every open line of the customer with its reference, SKU, quantity and requested week, \
                the current plan's confirmed chips week by week, the unconfirmed rest, and the change \
                since the previous run (new, better, worse, unchanged, with the previous confirmed \
                chips). Nothing about other customers, tiers, weights, the floor, supply or stock is \
                shown. --format html writes one self-contained page to print or attach to an email. \
                The rules are in docs/operators.md ("Confirmations").

                Examples:
                  chipsales order confirmations --customer helios-dc
                  chipsales order confirmations --customer helios-dc --format html --output helios-dc.html
                """)
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Customer id.") var customer: CustomerArgument
        @Option(help: "table, csv, json or html.") var format: ReportCommand.Format = .table
        @Option(help: "Write to this file instead of standard output.") var output: String?

        func run() throws {
            let confirmations = try ConfirmationStore(try database.connect()).forCustomer(customer.id)
            let text = ConfirmationView(confirmations: confirmations, generatedAt: Date()).render(format)
            if let output {
                try OutputFile.write(text + "\n", to: output)
                let count = confirmations.lines.count
                StandardError.line(
                    "wrote confirmations for \(customer.id) (\(count) open line\(count == 1 ? "" : "s"), run \(confirmations.run)) to \(output)")
            } else {
                StandardOutput.line(text)
            }
        }
    }
}

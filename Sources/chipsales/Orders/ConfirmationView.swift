import Domain
import Foundation

/// How a customer's confirmations print: a table or CSV for the order desk,
/// JSON for the buyer's systems, one HTML page for the buyer's inbox. Only
/// the customer's own lines and the plan's promises appear.
struct ConfirmationView {
    let confirmations: CustomerConfirmations
    let generatedAt: Date

    /// One row per open line.
    var lines: Listing {
        var listing = Listing(columns: [
            "order", "reference", "line", "sku", "quantity", "requested_week", "open", "confirmed_total", "confirmed",
            "unconfirmed", "change", "previous_confirmed",
        ])
        for line in confirmations.lines {
            listing.append([
                .int(line.orderID), .text(line.reference), .int(line.line), .text(line.sku), .int(line.quantity),
                .text(line.requestedWeek.description), .int(line.open), .int(line.confirmedTotal), line.confirmed.isEmpty ? .null : .text(line.confirmed.text),
                .int(line.unconfirmed), .text(line.change.rawValue), line.previousConfirmed.map(Cell.int) ?? .null,
            ])
        }
        return listing
    }

    var json: JSONOutput {
        .object([
            ("customer", .string(confirmations.customer)), ("run", .int(confirmations.run)),
            ("as_of", .string(confirmations.asOf.description)),
            ("lines", .array(confirmations.lines.map { line in
                .object([
                    ("order", .int(line.orderID)), ("reference", .string(line.reference)), ("line", .int(line.line)),
                    ("sku", .string(line.sku)), ("quantity", .int(line.quantity)),
                    ("requested_week", .string(line.requestedWeek.description)),
                    ("confirmed", line.confirmed.json), ("unconfirmed", .int(line.unconfirmed)),
                    ("change", .string(line.change.rawValue)),
                    ("previous_confirmed", line.previousConfirmed.map(JSONOutput.int) ?? .null),
                ])
            })),
        ])
    }

    func render(_ format: ReportCommand.Format) -> String {
        switch format {
        case .json:
            return json.render()
        case .csv:
            // The customer, run and week on every row, so the file stands alone.
            var listing = Listing(columns: ["customer", "run", "as_of"] + lines.columns)
            for row in lines.rows {
                listing.append([.text(confirmations.customer), .int(confirmations.run), .text(confirmations.asOf.description)] + row)
            }
            return listing.render(.csv)
        case .table:
            var text = "Confirmations for \(confirmations.customer)  plan of \(confirmations.asOf) (run \(confirmations.run))\n\n"
            text += confirmations.lines.isEmpty ? "No open lines." : lines.render(.table)
            return text
        case .html:
            return ConfirmationPage(confirmations: confirmations, generatedAt: generatedAt).render()
        }
    }
}

extension [ConfirmedWeek] {
    /// `2026-W50:320 2026-W51:160`, earliest first; empty when nothing is confirmed.
    var text: String { map { "\($0.week):\($0.quantity)" }.joined(separator: " ") }

    /// `[{"week": "2026-W50", "quantity": 320}, …]`
    var json: JSONOutput {
        .array(map { .object([("week", .string($0.week.description)), ("quantity", .int($0.quantity))]) })
    }
}

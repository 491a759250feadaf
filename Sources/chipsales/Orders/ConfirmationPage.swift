import Domain
import Foundation
import Values

/// One customer's confirmations as one self-contained, printable page (XHTML
/// with inline CSS, no scripts or network resources) to attach to an email.
/// It names no other customer and no tier, weight, floor, supply or stock.
struct ConfirmationPage {
    let confirmations: CustomerConfirmations
    let generatedAt: Date

    /// The change column in words, with the previous figure where there is one.
    static func change(_ line: LineConfirmation) -> String {
        guard let previous = line.previousConfirmed else { return "new line" }
        let now = line.confirmedTotal
        switch line.change {
        case .new: return "new line"
        case .amended: return "amended: \(now) confirmed since the change"
        case .better: return now > previous ? "better: \(now) confirmed, was \(previous)" : "better: the same \(now) chips, earlier"
        case .worse: return now < previous ? "worse: \(now) confirmed, was \(previous)" : "worse: some chips later than confirmed before"
        case .unchanged: return "unchanged"
        }
    }

    func render() -> String {
        let escape = SVGChart.escape
        let c = confirmations
        let open = c.lines.reduce(0) { $0 + $1.open }
        let confirmed = c.lines.reduce(0) { $0 + $1.confirmedTotal }
        var page = """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8"/>
            <title>Order confirmations for \(escape(c.customerName))</title>
            <style>
            body { font-family: sans-serif; margin: 24px; color: #222; }
            h1 { font-size: 20px; margin-bottom: 4px; } p { font-size: 13px; } p.meta { color: #555; margin-top: 0; }
            table { border-collapse: collapse; font-size: 12px; margin-top: 12px; width: 100%; }
            th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: left; vertical-align: top; }
            th { background: #eee; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
            td.worse { color: #a00000; } td.better { color: #1e6b1e; }
            ul.weeks { list-style: none; margin: 0; padding: 0; }
            p.notes { color: #555; font-size: 11px; margin-top: 16px; }
            @media print { body { margin: 0; } tr { page-break-inside: avoid; } th { background: #eee !important; } }
            </style>
            </head>
            <body>
            <h1>Order confirmations</h1>
            <p class="meta">\(escape(c.customerName)) (\(escape(c.customer))). Plan of week \(escape(c.asOf.description)), \
            generated \(escape(Timestamp(generatedAt).wholeSeconds.text)).</p>
            <p>\(c.lines.count) open line\(c.lines.count == 1 ? "" : "s"): \(open) chips still to deliver, \(confirmed) confirmed, \
            \(open - confirmed) not yet confirmed.</p>

            """
        if c.lines.isEmpty {
            page += "<p>You have no open order lines.</p>\n"
        } else {
            page += """
                <table>
                <thead><tr><th>Your reference</th><th>Our order</th><th>Line</th><th>Product</th><th>Ordered</th><th>Still to deliver</th>\
                <th>Requested week</th><th>Confirmed (week: chips)</th><th>Not yet confirmed</th><th>Since our last confirmation</th></tr></thead>
                <tbody>

                """
            for line in c.lines {
                let weeks = line.confirmed.isEmpty
                    ? "none yet"
                    : "<ul class=\"weeks\">" + line.confirmed.map { "<li>\(escape($0.week.description)): \($0.quantity)</li>" }.joined() + "</ul>"
                let change = line.change == .worse ? "<strong>\(escape(Self.change(line)))</strong>" : escape(Self.change(line))
                page += "<tr><td>\(escape(line.reference))</td><td class=\"n\">\(line.orderID)</td><td class=\"n\">\(line.line)</td>"
                    + "<td>\(escape(line.sku))</td><td class=\"n\">\(line.quantity)</td><td class=\"n\">\(line.open)</td>"
                    + "<td>\(escape(line.requestedWeek.description))</td><td>\(weeks)</td><td class=\"n\">\(line.unconfirmed)</td>"
                    + "<td class=\"\(line.change.rawValue)\">\(change)</td></tr>\n"
            }
            page += "</tbody>\n</table>\n"
        }
        page += """
            <p class="notes">Confirmed chips are planned to ship in the week shown; chips shipped or cancelled since \
            this plan was made are no longer listed. Chips not yet confirmed stay on order and are confirmed in a \
            later plan as they can be. "Since our last confirmation" compares this plan, as it was made, with our \
            previous one: better means more chips or the same chips earlier; worse means some chips confirmed \
            before now come later or are not confirmed; a new line was not in our previous plan.</p>
            </body>
            </html>
            """
        return page
    }
}

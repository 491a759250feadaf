import Domain
import Foundation
import Values

/// How an order prints: a heading and its lines for people, one object for machines.
struct OrderView {
    let order: Order
    let events: [OrderEvent]?
    /// The current plan's confirmations of the open lines, by line number (`order show`); `nil` leaves them out.
    var confirmations: [Int: LineConfirmation]? = nil

    var lines: Listing {
        var listing = Listing(columns: [
            "line", "sku", "quantity", "week", "unit_price", "currency", "cancelled", "shipped", "open", "status",
        ] + confirmationColumns)
        for l in order.lines {
            listing.append([
                .int(l.number), .text(l.sku), .int(l.quantity), .text(l.requestedWeek.description), .money(l.unitPrice),
                .text(l.currency), .int(l.cancelled), .int(l.shipped), .int(l.open), .text(l.status.rawValue),
            ] + confirmationCells(l))
        }
        return listing
    }

    var eventListing: Listing {
        var listing = Listing(columns: ["at", "action", "line", "actor", "reason", "before", "after"])
        for e in events ?? [] {
            listing.append([
                .text(Timestamp(e.at).wholeSeconds.text), .text(e.action), e.line.map(Cell.int) ?? .null, .text(e.actor),
                e.reason.map(Cell.text) ?? .null, e.before.map(Cell.text) ?? .null, e.after.map(Cell.text) ?? .null,
            ])
        }
        return listing
    }

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            var fields: [(String, JSONOutput)] = [
                ("id", .int(order.id)), ("customer", .string(order.customer)), ("reference", .string(order.reference)),
                ("placed_at", .string(Timestamp(order.placedAt).wholeSeconds.text)), ("status", .string(order.status.rawValue)),
                ("lines", .array(lineObjects)),
            ]
            if events != nil { fields.append(("events", .array(eventListing.jsonObjects))) }
            return JSONOutput.object(fields).render()
        case .csv:
            // One row per line, the order's identity repeated, so the file stands
            // alone; the order's status is `order_status`, the line's `status`
            // (a header names each column once).
            var listing = Listing(columns: ["order_id", "customer", "reference", "order_status"] + lines.columns)
            for row in lines.rows {
                listing.append([.int(order.id), .text(order.customer), .text(order.reference), .text(order.status.rawValue)] + row)
            }
            return listing.render(.csv)
        case .table:
            var text = "Order \(order.id)  \(order.customer) / \(TextRules.printable(order.reference))  placed \(Timestamp(order.placedAt).wholeSeconds.text)  \(order.status.rawValue)\n\n"
            text += lines.render(.table)
            if let events, !events.isEmpty {
                text += "\n\nAudit trail\n" + eventListing.render(.table)
            }
            return text
        }
    }
}

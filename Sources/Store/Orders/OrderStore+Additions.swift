import Database
import Domain
import Foundation

extension OrderStore {
    /// Adds lines to a stored order, numbered after its last line, by the
    /// rules of `LineAddition` (those of order entry, one currency per order,
    /// no line for a cancelled order). Each line is one 'added' audit event
    /// with the reason (schema 012); the next run plans it.
    ///
    /// Not idempotent: run twice, it adds the lines twice (`order show`
    /// tells whether a first attempt was stored).
    ///
    /// - Throws: `NotFound` for an unknown order; `ValidationFailures` listing
    ///   every problem of the new lines.
    public func addLines(
        order: Int, _ addition: LineAddition, reason: String, weeks: EntryWeeks = .fromThisWeek
    ) throws -> Order {
        let reason = try TextRules.validText(reason, record: "order \(order)", field: "reason", maxLength: 500)
        return try connection.transaction { tx in
            // Two additions to one order take turns: the second waits here
            // and then reads the first one's line among the order's lines.
            try tx.execute("SELECT id FROM order_lines WHERE order_id = $1 FOR UPDATE", [order])
            guard let stored = try find(order, on: tx) else { throw NotFound("order \(order)") }
            let drafts = try addition.drafts(after: stored)
            let catalogue = OrderCatalogue(products: try Self.productTerms(on: tx), customers: [stored.customer])
            let problems = addition.problems(drafts, in: stored, catalogue: catalogue, weeks: weeks)
            if !problems.isEmpty { throw ValidationFailures(problems) }
            try setReason(reason, on: tx)
            try insertLines(drafts, order: order, on: tx)
            return try existing(order, on: tx)
        }
    }
}

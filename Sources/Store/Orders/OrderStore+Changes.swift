import Database
import Domain
import Foundation

extension OrderStore {
    /// A locked line with what the checks need.
    private struct LockedLine {
        let id: Int
        let sku: String
        let lotSize: Int
        let quantity: Int
        let cancelled: Int
        let shipped: Int
        var open: Int { quantity - cancelled - shipped }
    }

    private func lockLine(_ order: Int, _ line: Int, on tx: Connection) throws -> LockedLine {
        guard try tx.queryFirst("SELECT 1 AS ok FROM orders WHERE id = $1", [order]) != nil else {
            throw NotFound("order \(order)")
        }
        guard let row = try tx.queryFirst(
            """
            SELECT id, sku, lot_size, quantity, cancelled_qty, shipped_qty FROM order_lines
            WHERE order_id = $1 AND line_no = $2 FOR UPDATE
            """, [order, line]) else { throw NotFound("order \(order) line \(line)") }
        return LockedLine(
            id: try row.decode("id"), sku: try row.decode("sku"), lotSize: try row.decode("lot_size"),
            quantity: try row.decode("quantity"), cancelled: try row.decode("cancelled_qty"), shipped: try row.decode("shipped_qty"))
    }

    /// Changes a line's ordered quantity, its requested week, or both, by
    /// the rules of `LineAmendment`: a cancelled line stays cancelled,
    /// quantities are whole lots and never below what was shipped and
    /// cancelled, and the line's week is one `weeks` accepts. The change is
    /// one 'amended' event with the line before and after and the reason;
    /// the current plan gives up what the line may no longer hold (schema
    /// 007 and 011: beyond its open quantity, before its requested week).
    ///
    /// - Throws: `ValidationFailure` naming the rule the change breaks.
    public func amend(
        order: Int, line number: Int, quantity: Int? = nil, week: ISOWeek? = nil, reason: String,
        weeks: EntryWeeks = .fromThisWeek
    ) throws -> Order {
        let record = "order \(order) line \(number)"
        let change = try LineAmendment(quantity: quantity, week: week, record: record)
        let reason = try TextRules.validText(reason, record: record, field: "reason", maxLength: 500)
        return try connection.transaction { tx in
            let locked = try lockLine(order, number, on: tx)
            guard let line = try find(order, on: tx)?.lines.first(where: { $0.number == number }) else {
                throw NotFound(record)
            }
            try change.check(line, lotSize: locked.lotSize, weeks: weeks, record: record)
            try setReason(reason, on: tx)
            try tx.execute(
                """
                UPDATE order_lines SET quantity = coalesce($2::int, quantity), requested_week = coalesce($3::text, requested_week)
                WHERE id = $1
                """, [locked.id, change.quantity, change.week?.description])
            return try find(order, on: tx)!
        }
    }

    /// Cancels the open quantity of one line, or of every open line.
    ///
    /// - Throws: `ValidationFailure` when there is nothing open to cancel
    ///   (the line was shipped or cancelled already).
    public func cancel(order: Int, line number: Int?, reason: String) throws -> Order {
        let trimmed = try TextRules.validText(reason, record: "order \(order)", field: "reason", maxLength: 500)
        return try connection.transaction { tx in
            try setReason(trimmed, on: tx)
            if let number {
                let line = try lockLine(order, number, on: tx)
                guard line.open > 0 else {
                    let state = line.cancelled == line.quantity ? "cancelled already" : "fully shipped"
                    throw ValidationFailure(record: "order \(order) line \(number)", field: "line", problem: "is \(state); nothing is open to cancel")
                }
                try tx.execute("UPDATE order_lines SET cancelled_qty = quantity - shipped_qty WHERE id = $1", [line.id])
            } else {
                // The UPDATE below locks the lines it changes.
                guard try tx.queryFirst("SELECT 1 AS ok FROM orders WHERE id = $1", [order]) != nil else {
                    throw NotFound("order \(order)")
                }
                let changed = try tx.execute(
                    "UPDATE order_lines SET cancelled_qty = quantity - shipped_qty WHERE order_id = $1 AND quantity - cancelled_qty - shipped_qty > 0",
                    [order]).affectedRows
                guard changed > 0 else {
                    throw ValidationFailure(record: "order \(order)", field: "lines", problem: "have nothing open to cancel (shipped or cancelled already)")
                }
            }
            return try find(order, on: tx)!
        }
    }

    /// Ships chips against a line: the line's shipped quantity and the
    /// inventory ledger change together, or not at all.
    ///
    /// - Throws: `ValidationFailure` when the quantity exceeds what is open
    ///   or on hand, is not whole lots, or the customer may not receive chips.
    public func ship(order: Int, line number: Int, quantity: Int) throws -> Order {
        let record = "order \(order) line \(number)"
        guard quantity > 0, quantity <= maximumChips else {
            throw ValidationFailure(record: record, field: "quantity", problem: "must be between 1 and \(maximumChips) chips (got \(quantity))")
        }
        return try connection.transaction { tx in
            let line = try lockLine(order, number, on: tx)
            let customer = try tx.queryFirst(
                """
                SELECT c.id, c.compliance::text AS compliance, c.credit_hold FROM orders o JOIN customers c ON c.id = o.customer_id
                WHERE o.id = $1
                """, [order])!
            let compliance: String = try customer.decode("compliance")
            let customerID: String = try customer.decode("id")
            guard compliance == ComplianceStatus.cleared.rawValue else {
                throw ValidationFailure(record: record, field: "customer", problem: "\(customerID) is not export-cleared (\(compliance)); nothing may ship")
            }
            guard try !customer.decode("credit_hold", as: Bool.self) else {
                throw ValidationFailure(record: record, field: "customer", problem: "\(customerID) is on credit hold; nothing may ship")
            }
            guard quantity % line.lotSize == 0 else {
                throw ValidationFailure(record: record, field: "quantity", problem: "\(quantity) is not a whole number of lots of \(line.sku) (lot size \(line.lotSize))")
            }
            guard quantity <= line.open else {
                throw ValidationFailure(record: record, field: "quantity", problem: "\(quantity) is more than the \(line.open) still open")
            }
            let onHand: Int = try tx.queryFirst("SELECT on_hand FROM inventory_balances WHERE sku = $1", [line.sku])?
                .decode("on_hand") ?? 0
            let notEnough = ValidationFailure(
                record: record, field: "quantity", problem: "\(quantity) is more than the \(onHand) of \(line.sku) on hand")
            guard quantity <= onHand else { throw notEnough }
            do {
                // One function writes the ledger movement and the shipped quantity
                // (schema 007); the balance row's CHECK is the guard that holds
                // under concurrent shipments.
                try tx.execute("SELECT ship_order_line($1, $2)", [line.id, quantity])
            } catch let error as DatabaseError where error.constraint == "inventory_on_hand_not_negative" {
                throw notEnough
            }
            return try find(order, on: tx)!
        }
    }

    /// Passes the operator's reason to the audit trigger for this transaction only.
    func setReason(_ reason: String?, on tx: Connection) throws {
        try tx.execute("SELECT set_config('chipsales.reason', $1, true)", [reason ?? ""])
    }
}

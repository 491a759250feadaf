import Database
import Domain
import Foundation
import Values

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
    /// 007 and 012: beyond its open quantity, before its requested week).
    ///
    /// - Throws: `ValidationFailure` naming the rule the change breaks.
    public func amend(
        order: Int, line number: Int, quantity: Int? = nil, week: Period? = nil, reason: String,
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
            return try existing(order, on: tx)
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
                try tx.execute("UPDATE order_lines l SET cancelled_qty = cancelled_qty + order_line_open(l) WHERE id = $1", [line.id])
            } else {
                // The UPDATE below locks the lines it changes.
                guard try tx.queryFirst("SELECT 1 AS ok FROM orders WHERE id = $1", [order]) != nil else {
                    throw NotFound("order \(order)")
                }
                let changed = try tx.execute(
                    "UPDATE order_lines l SET cancelled_qty = cancelled_qty + order_line_open(l) WHERE order_id = $1 AND order_line_open(l) > 0",
                    [order]).affectedRows
                guard changed > 0 else {
                    throw ValidationFailure(record: "order \(order)", field: "lines", problem: "have nothing open to cancel (shipped or cancelled already)")
                }
            }
            return try existing(order, on: tx)
        }
    }

    /// Ships chips against a line for a week: the ledger movement, the chips
    /// taken out of the current plan and the line's shipped quantity change
    /// together, or not at all (one database function, `ship_order_line`,
    /// schema 011, checks and writes everything under its locks).
    ///
    /// At most what the plan has due for the line through `week` (default:
    /// the current ISO week, UTC) ships, unless `beyondPlan` is true and a
    /// `reason` is given: then more may ship, recorded as beyond the plan. A
    /// reason is kept in the audit trail and as the ledger movement's note.
    ///
    /// - Throws: `NotFound` for an unknown order or line; `ValidationFailure`
    ///   (naming the field) when the quantity is not whole lots, exceeds what
    ///   is open, on hand or (without a reason to go beyond it) due in the
    ///   plan, or the customer may not receive chips.
    public func ship(
        order: Int, line number: Int, quantity: Int, through week: Period? = nil, beyondPlan: Bool = false, reason: String? = nil
    ) throws -> Shipment {
        let record = "order \(order) line \(number)"
        guard quantity > 0, quantity <= maximumChips else {
            throw ValidationFailure(record: record, field: "quantity", problem: "must be between 1 and \(maximumChips) chips (got \(quantity))")
        }
        return try connection.transaction { tx in
            guard try tx.queryFirst("SELECT 1 AS ok FROM orders WHERE id = $1", [order]) != nil else {
                throw NotFound("order \(order)")
            }
            guard let lineID: Int = try tx.queryFirst(
                "SELECT id FROM order_lines WHERE order_id = $1 AND line_no = $2", [order, number])?.decode("id") else {
                throw NotFound(record)
            }
            let plan: PlanDue
            do {
                let row = try tx.queryOne(
                    """
                    SELECT plan_run, due_week::text AS due_week, confirmed, shipped_before, due
                    FROM ship_order_line($1, $2, $3::iso_week, $4, $5)
                    """, [lineID, quantity, week?.description, beyondPlan, reason])
                plan = PlanDue(
                    run: try row.decodeIfPresent("plan_run"), week: try row.decode("due_week", as: Period.self),
                    confirmed: try row.decode("confirmed"), shipped: try row.decode("shipped_before"), due: try row.decode("due"))
            } catch let error as DatabaseError where error.sqlState == .checkViolation {
                // The function's refusals read "order N line M: <field> <problem>" and name the field.
                let field = error.column ?? "quantity"
                let prefix = "\(record): \(field) "
                let problem = error.message.hasPrefix(prefix) ? String(error.message.dropFirst(prefix.count)) : error.message
                throw ValidationFailure(record: record, field: field, problem: problem)
            }
            return Shipment(order: try existing(order, on: tx), line: number, quantity: quantity, plan: plan)
        }
    }

    /// What the current plan has for a line through `week`: confirmed, shipped and due.
    ///
    /// - Throws: `NotFound` for an unknown order or line.
    public func planDue(order: Int, line number: Int, through week: Period) throws -> PlanDue {
        guard let row = try connection.queryFirst(
            """
            SELECT d.plan_run, d.confirmed, d.shipped, d.due
            FROM order_lines l CROSS JOIN LATERAL line_plan_due(l.id, $3::iso_week) d
            WHERE l.order_id = $1 AND l.line_no = $2
            """, [order, number, week.description]) else { throw NotFound("order \(order) line \(number)") }
        return PlanDue(
            run: try row.decodeIfPresent("plan_run"), week: week, confirmed: try row.decode("confirmed"),
            shipped: try row.decode("shipped"), due: try row.decode("due"))
    }

    /// Passes the operator's reason to the audit trigger for this transaction only.
    func setReason(_ reason: String?, on tx: Connection) throws {
        try tx.execute("SELECT set_config('chipsales.reason', $1, true)", [reason ?? ""])
    }
}

import Database
import Domain
import Foundation
import Values

/// What the current plan confirms on order lines, read through the
/// `report_confirmations` view (schema/010), the one place the rules live.
public struct ConfirmationStore {
    let connection: Connection

    public init(_ connection: Connection) { self.connection = connection }

    /// Every open line of one customer with the current plan's confirmations,
    /// by order and line number, read in one snapshot.
    ///
    /// - Throws: `NotFound` for an unknown customer, or when no plan is stored yet.
    public func forCustomer(_ customer: String) throws -> CustomerConfirmations {
        try connection.transaction(isolation: .repeatableRead) { tx in
            guard let found = try tx.queryFirst("SELECT name FROM customers WHERE id = $1", [customer]) else {
                throw try NotFound.customer(customer, on: tx)
            }
            guard let plan = try tx.queryFirst(
                "SELECT c.run_id, r.as_of::text AS as_of FROM current_plan c JOIN allocation_runs r ON r.id = c.run_id") else {
                throw NotFound.noPlan
            }
            let lines = try Self.lines(tx.execute(
                "SELECT \(Self.columns) FROM report_confirmations WHERE customer_id = $1 ORDER BY order_id, line_no", [customer]))
            return CustomerConfirmations(
                customer: customer, customerName: try found.decode("name"), run: try plan.decode("run_id"), asOf: try plan.decode("as_of", as: Period.self), lines: lines)
        }
    }

    /// The open lines of one order with their confirmations, by line number
    /// (lines that are shipped or cancelled have none).
    public func forOrder(_ order: Int) throws -> [Int: LineConfirmation] {
        let lines = try Self.lines(connection.execute(
            "SELECT \(Self.columns) FROM report_confirmations WHERE order_id = $1 ORDER BY line_no", [order]))
        return Dictionary(uniqueKeysWithValues: lines.map { ($0.line, $0) })
    }

    /// Confirmed chips and the first confirmed week per order, for `orders`;
    /// orders with no open line are left out.
    public func totals(orders: [Int]) throws -> [Int: OrderConfirmation] {
        guard !orders.isEmpty else { return [:] }
        var totals: [Int: OrderConfirmation] = [:]
        for row in try connection.execute(
            """
            SELECT order_id, sum(confirmed)::bigint AS confirmed, min(first_confirmed_week) AS first_week
            FROM report_confirmations WHERE order_id = ANY ($1::bigint[]) GROUP BY order_id
            """, ["{" + orders.map(String.init).joined(separator: ",") + "}"]) {
            totals[try row.decode("order_id")] = OrderConfirmation(
                confirmed: try row.decode("confirmed"), firstWeek: try row.decodeIfPresent("first_week", as: Period.self))
        }
        return totals
    }

    static let columns = """
        order_id, reference, line_no, sku, quantity, requested_week, open, confirmed, confirmed_weeks, unconfirmed, \
        change, previous_confirmed
        """

    static func lines(_ result: QueryResult) throws -> [LineConfirmation] {
        try result.map { row in
            let record = "order \(try row.decode("order_id", as: Int.self)) line \(try row.decode("line_no", as: Int.self))"
            let changeText: String = try row.decode("change")
            guard let change = ConfirmationChange(rawValue: changeText) else {
                throw StoreInconsistency(
                    table: "report_confirmations", row: record, column: "change", value: changeText,
                    problem: "is not one of \(ConfirmationChange.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let weeks = try confirmedWeeks(try row.decode("confirmed_weeks"), record: record)
            let confirmed: Int = try row.decode("confirmed")
            guard weeks.reduce(0, { $0 + $1.quantity }) == confirmed else {
                throw StoreInconsistency(
                    table: "report_confirmations", row: record, column: "confirmed_weeks", value: try row.decode("confirmed_weeks"),
                    problem: "does not add up to the \(confirmed) chips confirmed")
            }
            return LineConfirmation(
                orderID: try row.decode("order_id"), reference: try row.decode("reference"), line: try row.decode("line_no"),
                sku: try row.decode("sku"), quantity: try row.decode("quantity"),
                requestedWeek: try row.decode("requested_week", as: Period.self), open: try row.decode("open"),
                confirmed: weeks, unconfirmed: try row.decode("unconfirmed"), change: change,
                previousConfirmed: try row.decodeIfPresent("previous_confirmed"))
        }
    }

    /// Parses the view's `WEEK:CHIPS WEEK:CHIPS …` (empty when nothing is confirmed).
    static func confirmedWeeks(_ text: String, record: String) throws -> [ConfirmedWeek] {
        try text.split(separator: " ").map { pair in
            let parts = pair.split(separator: ":")
            guard parts.count == 2, let week = Period(String(parts[0])), let quantity = Int(parts[1]), quantity > 0 else {
                throw StoreInconsistency(
                    table: "report_confirmations", row: record, column: "confirmed_weeks", value: String(pair),
                    problem: "is not WEEK:CHIPS")
            }
            return ConfirmedWeek(week: week, quantity: quantity)
        }
    }
}

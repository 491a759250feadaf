import Database
import Values

/// Fixed chips a run gave back from one order line in one week: the week
/// could not hold its frozen lots (supply cut, or stock shipped or written
/// off after the plan was frozen), so the run released them (step 2 of the
/// allocation rules) and they were open again for later weeks.
public struct Release: Equatable, Sendable {
    public let order: Int
    public let line: Int
    public let customer: String
    public let sku: String
    public let week: Period
    public let quantity: Int

    public init(order: Int, line: Int, customer: String, sku: String, week: Period, quantity: Int) {
        self.order = order
        self.line = line
        self.customer = customer
        self.sku = sku
        self.week = week
        self.quantity = quantity
    }
}

extension RunStore {
    /// The chips run `run` released, by week, customer, order and line.
    ///
    /// - Throws: `NotFound` for an unknown run.
    public func releases(run: Int) throws -> [Release] {
        guard try exists(run) else { throw NotFound("allocation run \(run)") }
        return try connection.execute(
            """
            SELECT l.order_id, l.line_no, r.customer_id, r.sku, r.week, r.quantity
            FROM allocation_releases r JOIN order_lines l ON l.id = r.order_line_id
            WHERE r.run_id = $1
            ORDER BY r.week, r.customer_id, l.order_id, l.line_no
            """, [run]
        ).map { row in
            Release(
                order: try row.decode("order_id"), line: try row.decode("line_no"), customer: try row.decode("customer_id"),
                sku: try row.decode("sku"), week: try row.decode("week", as: Period.self), quantity: try row.decode("quantity"))
        }
    }
}

extension Release {
    /// Chips per customer of `releases`.
    public static func byCustomer(_ releases: [Release]) -> [String: Int] {
        releases.reduce(into: [:]) { $0[$1.customer, default: 0] += $1.quantity }
    }
}

import Allocation
import Database
import Values

/// The plan input's reads, one per table, each inside the caller's
/// repeatable-read transaction (one snapshot for all of them); `skus`
/// narrows each to those SKUs (a quote), `nil` reads them all.
extension PlanInput {
    /// Products with their lot sizes and the stock on hand.
    static func readProducts(_ tx: Connection, skus: [String]?) throws -> [Scenario.Product] {
        var products: [Scenario.Product] = []
        for row in try tx.execute(
            """
            SELECT p.sku, p.lot_size, coalesce(b.on_hand, 0) AS on_hand
            FROM products p LEFT JOIN inventory_balances b ON b.sku = p.sku
            WHERE $1::text[] IS NULL OR p.sku = ANY ($1::text[])
            ORDER BY p.sku
            """, [skus]) {
            products.append(Scenario.Product(sku: try row.decode("sku"), lotSize: try row.decode("lot_size"), onHand: try row.decode("on_hand")))
        }
        return products
    }

    /// Customers with their tiers, weights, holds and contract terms per SKU.
    static func readCustomers(_ tx: Connection, skus: [String]?) throws -> [Scenario.Customer] {
        var minimums: [String: [String: Int]] = [:]
        var maximums: [String: [String: Int]] = [:]
        for row in try tx.execute(
            """
            SELECT customer_id, sku, minimum_per_week, maximum_per_week FROM customer_contracts
            WHERE $1::text[] IS NULL OR sku = ANY ($1::text[])
            """, [skus]) {
            let id: String = try row.decode("customer_id")
            let sku: String = try row.decode("sku")
            if let minimum: Int = try row.decodeIfPresent("minimum_per_week") { minimums[id, default: [:]][sku] = minimum }
            if let maximum: Int = try row.decodeIfPresent("maximum_per_week") { maximums[id, default: [:]][sku] = maximum }
        }
        var customers: [Scenario.Customer] = []
        for row in try tx.execute(
            """
            SELECT id, internal, tier, weight::text AS weight, compliance <> 'cleared' OR credit_hold AS hold
            FROM customers ORDER BY id
            """) {
            let id: String = try row.decode("id")
            let weightText: String = try row.decode("weight")
            guard let weight = ExactDecimal(weightText) else {
                throw StoreInconsistency(
                    table: "customers", row: "id \(id)", column: "weight", value: weightText, problem: "is not an exact decimal the engine can take")
            }
            customers.append(Scenario.Customer(
                id: id, isInternal: try row.decode("internal"), tier: try row.decode("tier"), weight: weight,
                hold: try row.decode("hold"), minimumPerPeriod: minimums[id] ?? [:], maximumPerPeriod: maximums[id] ?? [:]))
        }
        return customers
    }

    /// Supply from `week` on: the engine's rows, and the same per SKU and week.
    static func readSupply(
        _ tx: Connection, from asOf: Period, skus: [String]?
    ) throws -> ([SupplyRow], [String: [Period: Int]]) {
        let week = asOf.description
        var supplyRows: [SupplyRow] = []
        var supply: [String: [Period: Int]] = [:]
        for row in try tx.execute(
            """
            SELECT sku, week::text AS week, quantity FROM supply_capacity
            WHERE week >= $1 AND ($2::text[] IS NULL OR sku = ANY ($2::text[]))
            ORDER BY sku, week
            """, [week, skus]) {
            let sku: String = try row.decode("sku")
            let period = try row.decode("week", as: Period.self)
            let quantity: Int = try row.decode("quantity")
            supplyRows.append(SupplyRow(sku: sku, period: period, quantity: quantity))
            supply[sku, default: [:]][period] = quantity
        }
        return (supplyRows, supply)
    }

    /// The frozen weeks of the current plan, as stored: capped per line at
    /// what is still open once the open lines are read (`capFrozen`).
    static func readFrozen(_ tx: Connection, asOf: Period, frozenWeeks: Int, skus: [String]?) throws -> [FrozenRow] {
        let week = asOf.description
        var frozen: [FrozenRow] = []
        let plan: Int? = try tx.queryFirst("SELECT run_id FROM current_plan")?.decode("run_id")
        // The run id goes in as a parameter so the primary key narrows the scan to that run;
        // the week after the frozen ones too, computed once: a function of the
        // parameters in the filter would be evaluated for every row of the run.
        for row in try tx.execute(
            """
            WITH horizon AS (
                SELECT sku, min(week) AS first_week, max(week) AS last_week FROM supply_capacity
                WHERE week >= $1 AND ($4::text[] IS NULL OR sku = ANY ($4::text[])) GROUP BY sku
            )
            SELECT a.order_line_id, a.week, a.quantity
            FROM allocations a
            JOIN horizon h ON h.sku = a.sku AND a.week BETWEEN h.first_week AND h.last_week
            WHERE a.run_id = $3 AND a.week >= $1::text AND a.week < $2::text
              AND ($4::text[] IS NULL OR a.sku = ANY ($4::text[]))
            ORDER BY a.order_line_id, a.week
            """, [week, asOf.advanced(by: frozenWeeks).description, plan ?? -1, skus]) {
            frozen.append(FrozenRow(
                line: try row.decode("order_line_id"), period: try row.decode("week", as: Period.self), quantity: try row.decode("quantity")))
        }
        return frozen
    }

    /// Shipments per customer, SKU and week over the `weeks` before `asOf`.
    static func readHistory(_ tx: Connection, before asOf: Period, weeks: Int, skus: [String]?) throws -> [HistoryRow] {
        let week = asOf.description
        var history: [HistoryRow] = []
        for row in try tx.execute(
            """
            SELECT o.customer_id, m.sku, iso_week_of(m.at)::text AS week, -sum(m.quantity)::bigint AS quantity
            FROM inventory_movements m
            JOIN order_lines l ON l.id = m.order_line_id
            JOIN orders o ON o.id = l.order_id
            WHERE m.kind = 'shipment' AND m.at >= iso_week_monday(iso_week_add($1, -($2::int)))
              AND m.at < iso_week_monday($1) AND ($3::text[] IS NULL OR m.sku = ANY ($3::text[]))
            GROUP BY o.customer_id, m.sku, iso_week_of(m.at)
            """, [week, weeks, skus]) {
            history.append(HistoryRow(
                customer: try row.decode("customer_id"), sku: try row.decode("sku"),
                period: try row.decode("week", as: Period.self), quantity: try row.decode("quantity")))
        }
        return history
    }
}

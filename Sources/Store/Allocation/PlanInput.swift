import Allocation
import Database
import Foundation
import Values

/// Everything a run reads: the scenario the engine gets, and what the store
/// needs to write the result back (line owners, lot sizes, supply per week).
public struct PlanInput: Sendable {
    public let asOf: Period
    public let policy: PolicyRecord
    public let scenario: Scenario
    /// Chips of supply per SKU and week in the horizon.
    public let supply: [String: [Period: Int]]
    /// The open lines as the store writes them back, in the order of `scenario.orders`.
    public let lines: Lines
    /// The database snapshot the input was read in (`pg_snapshot` text): at
    /// commit, shipments it did not see are taken out of the new plan.
    public let snapshot: String

    /// The engine's id for an order line: its database id, zero-padded to
    /// twelve digits so that byte order is numeric order.
    public static func lineKey(_ id: Int) -> String {
        guard id >= 0, id < 1_000_000_000_000 else {
            let digits = String(id)
            return String(repeating: "0", count: max(0, 12 - digits.count)) + digits
        }
        // Twelve bytes make a small string: no allocation for a million keys.
        return String(unsafeUninitializedCapacity: 12) { buffer in
            var rest = id
            for i in stride(from: 11, through: 0, by: -1) {
                buffer[i] = UInt8(48 + rest % 10)
                rest /= 10
            }
            return 12
        }
    }

    /// The database id of an engine line key.
    public static func lineID(_ key: String) -> Int? { CopyFields.integer(key.utf8) }
}

extension PlanInput {
    /// Reads the scenario of the spec as of `asOf`, in one consistent snapshot.
    ///
    /// - Horizon: each SKU's supply weeks from `asOf` on.
    /// - Carry: on-hand stock from the inventory ledger.
    /// - Lines: every line with open chips (ordered − cancelled − shipped).
    /// - Fixed: the current plan's allocations in the frozen weeks, for lines
    ///   still open, never above a line's open quantity.
    /// - History: shipments in the `history_weeks` before `asOf`.
    /// - Holds: customers not export-cleared or on credit hold.
    ///
    /// With `skus`, only those SKUs: their products, contract terms, supply,
    /// open lines, fixed lots and history (every customer still). SKUs are
    /// allocated independently, so each of them comes out of the engine
    /// exactly as in a run that reads everything.
    ///
    /// With `detail` `.forAllocating`, the open lines' orders, numbers and
    /// prices are left out: enough to allocate and to quote, not to store a run.
    public static func read(
        asOf: Period, skus: [String]? = nil, detail: LineDetail = .forStoring, on connection: Connection
    ) throws -> PlanInput {
        try connection.transaction(isolation: .repeatableRead) { tx in
            try tx.execute("SET TRANSACTION READ ONLY")
            return try read(asOf: asOf, skus: skus, detail: detail, inTransaction: tx)
        }
    }

    /// `read(asOf:skus:detail:on:)` inside a transaction the caller began
    /// (repeatable read, so that every table is read from one snapshot).
    static func read(asOf: Period, skus: [String]?, detail: LineDetail, inTransaction tx: Connection) throws -> PlanInput {
        let policy = try PolicyStore(tx).current()
        // The transaction's snapshot: every read below sees exactly what it sees.
        let snapshot: String = try tx.queryOne("SELECT pg_current_snapshot()::text AS snapshot").decode("snapshot")
        let week = asOf.description

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

        // The frozen weeks of the current plan, as stored: capped per line at
        // what is still open once the open lines are read (`capFrozen`).
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
            """, [week, asOf.advanced(by: policy.frozenWeeks).description, plan ?? -1, skus]) {
            frozen.append(FrozenRow(
                line: try row.decode("order_line_id"), period: try row.decode("week", as: Period.self), quantity: try row.decode("quantity")))
        }

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
            """, [week, policy.historyWeeks, skus]) {
            history.append(HistoryRow(
                customer: try row.decode("customer_id"), sku: try row.decode("sku"),
                period: try row.decode("week", as: Period.self), quantity: try row.decode("quantity")))
        }

        var (orders, lines) = try readOpenLines(tx, skus: skus, detail: detail)
        let fixed = capFrozen(frozen, orders: &orders, lines: lines)
        let scenario = Scenario(
            policy: policy.enginePolicy, products: products, customers: customers, supply: supplyRows,
            orders: orders, fixed: fixed, history: history)
        return PlanInput(
            asOf: asOf, policy: policy, scenario: scenario, supply: supply, lines: lines, snapshot: snapshot)
    }
}

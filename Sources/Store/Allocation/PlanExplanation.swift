import Database
import Domain
import Foundation

/// Why an order got what it got in the current plan, per line and week.
public struct PlanExplanation: Sendable {
    /// One line of the order in one week of its SKU's horizon.
    public struct Row: Equatable, Sendable {
        public let line: Int
        public let sku: String
        public let week: String
        /// Chips the line holds in the plan that week.
        public let lineAllocated: Int
        /// The customer's whole demand, guarantee and allocation that week (all its lines of the SKU).
        public let demand: Int
        public let fixed: Int
        public let guaranteed: Int
        public let allocated: Int
        public let tier: Int
        public let weight: Decimal
        public let held: Bool
        /// Chips of the SKU available that week and left unallocated.
        public let available: Int
        public let carry: Int
        /// Plain words: floor, minimum, cap, hold, supply, tier.
        public let reasons: [String]
    }

    public let orderID: Int
    public let customer: String
    public let runID: Int
    public let asOf: String
    public let rows: [Row]
    /// Open chips per line, and what is still unallocated after the plan.
    public let lines: [Line]

    /// One line of the order.
    public struct Line: Equatable, Sendable {
        public let line: Int
        public let sku: String
        /// Chips still open (ordered − cancelled − shipped).
        public let open: Int
        /// Chips the current plan holds for the line.
        public let planned: Int
        /// The requested week.
        public let week: String
        /// Frozen chips the current plan's run released from the line, by week.
        public let released: [Released]
    }

    /// Frozen chips the current plan's run gave back from a line in one week
    /// (step 2 of the allocation rules).
    public struct Released: Equatable, Sendable {
        public let week: String
        public let quantity: Int

        /// In plain words, for the planner.
        public var sentence: String {
            "released: \(quantity) chips of \(week) (supply cut after the plan was frozen)"
        }
    }
}

extension RunStore {
    /// Explains the current plan for one order.
    ///
    /// - Throws: `NotFound` for an unknown order, or when no plan exists yet.
    public func explain(order: Int) throws -> PlanExplanation {
        guard let head = try connection.queryFirst(
            """
            SELECT o.customer_id, c.internal, c.compliance::text AS compliance, c.credit_hold
            FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = $1
            """, [order]) else { throw NotFound("order \(order)") }
        guard let run = try currentRunID() else { throw NotFound.noPlan }
        let asOf: String = try connection.queryOne("SELECT as_of::text AS w FROM allocation_runs WHERE id = $1", [run]).decode("w")
        let customer: String = try head.decode("customer_id")
        let isInternal: Bool = try head.decode("internal")
        let complianceText: String = try head.decode("compliance")
        guard let compliance = ComplianceStatus(rawValue: complianceText) else {
            throw StoreInconsistency(
                table: "customers", row: "id \(customer)", column: "compliance", value: complianceText,
                problem: "is not a compliance status this version knows")
        }
        let holdReason = Customer.holdReason(compliance: compliance, creditHold: try head.decode("credit_hold", as: Bool.self))
        let floor: Decimal = try connection.queryOne(
            "SELECT p.internal_floor FROM allocation_runs r JOIN allocation_policies p ON p.id = r.policy_id WHERE r.id = $1", [run]
        ).decode("internal_floor")

        let released = try releasedChips(order: order, run: run)

        let lines = try connection.execute(
            """
            SELECT l.line_no, l.sku, order_line_open(l) AS open, l.requested_week::text AS week,
                   coalesce((SELECT sum(a.quantity) FROM allocations a WHERE a.run_id = $2 AND a.order_line_id = l.id), 0)::int AS planned
            FROM order_lines l WHERE l.order_id = $1 ORDER BY l.line_no
            """, [order, run]
        ).map { row in
            let line: Int = try row.decode("line_no")
            return PlanExplanation.Line(
                line: line, sku: try row.decode("sku"), open: try row.decode("open"), planned: try row.decode("planned"),
                week: try row.decode("week"), released: released[line] ?? [])
        }

        let rows = try explanationRows(
            order: order, run: run, released: released, holdReason: holdReason, isInternal: isInternal, floor: floor)
        return PlanExplanation(orderID: order, customer: customer, runID: run, asOf: asOf, rows: rows, lines: lines)
    }

    /// The chips the run released from the order's lines, per line number.
    private func releasedChips(order: Int, run: Int) throws -> [Int: [PlanExplanation.Released]] {
        var released: [Int: [PlanExplanation.Released]] = [:]
        for row in try connection.execute(
            """
            SELECT l.line_no, r.week, r.quantity
            FROM allocation_releases r JOIN order_lines l ON l.id = r.order_line_id
            WHERE r.run_id = $2 AND l.order_id = $1
            ORDER BY l.line_no, r.week
            """, [order, run]) {
            released[try row.decode("line_no"), default: []].append(
                PlanExplanation.Released(week: try row.decode("week"), quantity: try row.decode("quantity")))
        }

        return released
    }

    /// Per line and week of the run: the line's chips beside its customer's
    /// figures for that SKU and week, and the reasons in words.
    private func explanationRows(
        order: Int, run: Int, released: [Int: [PlanExplanation.Released]], holdReason: String?, isInternal: Bool, floor: Decimal
    ) throws -> [PlanExplanation.Row] {
        try connection.execute(
            """
            SELECT l.line_no, l.sku, e.week::text AS week, coalesce(a.quantity, 0) AS line_allocated,
                   e.demand, e.fixed, e.guaranteed, e.allocated, e.tier, e.weight, e.held,
                   p.available, p.carry, t.minimum_per_week, t.maximum_per_week
            FROM order_lines l
            JOIN orders o ON o.id = l.order_id
            JOIN allocation_explanations e ON e.run_id = $2 AND e.customer_id = o.customer_id AND e.sku = l.sku
                                          AND e.week >= l.requested_week
            JOIN allocation_periods p ON p.run_id = $2 AND p.sku = l.sku AND p.week = e.week
            LEFT JOIN allocations a ON a.run_id = $2 AND a.order_line_id = l.id AND a.week = e.week
            LEFT JOIN customer_contracts t ON t.customer_id = o.customer_id AND t.sku = l.sku
            WHERE l.order_id = $1
              AND (a.quantity IS NOT NULL OR order_line_open(l) > 0)
            ORDER BY l.line_no, e.week
            """, [order, run]
        ).map { row in
            let demand: Int = try row.decode("demand")
            let allocated: Int = try row.decode("allocated")
            let guaranteed: Int = try row.decode("guaranteed")
            let held: Bool = try row.decode("held")
            let carry: Int = try row.decode("carry")
            let minimum: Int? = try row.decodeIfPresent("minimum_per_week")
            let maximum: Int? = try row.decodeIfPresent("maximum_per_week")
            let line: Int = try row.decode("line_no")
            let week: String = try row.decode("week")
            var reasons: [String] = []
            if let release = released[line]?.first(where: { $0.week == week }) { reasons.append(release.sentence) }
            if held { reasons.append("hold: \(holdReason ?? "on hold when the run read its input")") }
            if isInternal && floor > 0 { reasons.append("internal floor \(floor)") }
            if let minimum, minimum > 0 { reasons.append("contract minimum \(minimum)/week") }
            if guaranteed > 0 { reasons.append("guaranteed \(guaranteed)") }
            if let maximum, allocated >= maximum { reasons.append("capped at \(maximum)/week") }
            if !held && allocated < demand {
                reasons.append(carry > 0 ? "capped or waiting on earlier lines" : "supply exhausted (tier \(try row.decode("tier", as: Int.self)), weight \(try row.decode("weight", as: Decimal.self)))")
            }
            if !held && allocated >= demand && demand > 0 { reasons.append("demand met") }
            return PlanExplanation.Row(
                line: line, sku: try row.decode("sku"), week: week,
                lineAllocated: try row.decode("line_allocated"), demand: demand, fixed: try row.decode("fixed"),
                guaranteed: guaranteed, allocated: allocated, tier: try row.decode("tier"), weight: try row.decode("weight"),
                held: held, available: try row.decode("available"), carry: carry, reasons: reasons)
        }
    }
}

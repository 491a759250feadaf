import Database
import Foundation

extension RunStore {
    /// Stored runs, newest first.
    public func history(limit: Int = 50) throws -> [RunRecord] {
        try connection.execute(
            """
            SELECT r.id, r.as_of::text AS as_of, p.method, p.internal_floor, p.frozen_weeks, r.started_at, r.finished_at,
                   r.run_by, r.open_lines, r.demand_chips, r.allocated_chips, r.backlog_chips, r.trimmed_chips, r.released_chips,
                   r.compute_ms,
                   coalesce(r.id = (SELECT run_id FROM current_plan), false) AS is_current
            FROM allocation_runs r JOIN allocation_policies p ON p.id = r.policy_id
            ORDER BY r.id DESC LIMIT $1
            """, [limit]
        ).map { row in
            RunRecord(
                id: try row.decode("id"), asOf: try row.decode("as_of"), method: try row.decode("method"),
                internalFloor: try row.decode("internal_floor"), frozenWeeks: try row.decode("frozen_weeks"),
                startedAt: try row.decode("started_at"), finishedAt: try row.decode("finished_at"), runBy: try row.decode("run_by"),
                openLines: try row.decode("open_lines"), demandChips: try row.decode("demand_chips"),
                allocatedChips: try row.decode("allocated_chips"), backlogChips: try row.decode("backlog_chips"),
                trimmedChips: try row.decode("trimmed_chips"), releasedChips: try row.decode("released_chips"),
                computeMilliseconds: try row.decode("compute_ms"),
                isCurrent: try row.decode("is_current"))
        }
    }

    /// How many runs are stored (`history` shows the newest of them).
    public func runCount() throws -> Int {
        try connection.queryOne("SELECT count(*) AS n FROM allocation_runs").decode("n")
    }

    /// True when a run with this id is stored.
    public func exists(_ run: Int) throws -> Bool {
        try connection.queryFirst("SELECT 1 AS ok FROM allocation_runs WHERE id = $1", [run]) != nil
    }

    /// Chips per customer in a run's plan as the run stored it (the
    /// per-run summary, so no scan of a million allocation rows).
    public func customerTotals(run: Int) throws -> [String: Int] {
        var totals: [String: Int] = [:]
        for row in try connection.execute(
            "SELECT customer_id, sum(chips)::bigint AS chips FROM allocation_order_book WHERE run_id = $1 GROUP BY customer_id", [run]) {
            totals[try row.decode("customer_id")] = try row.decode("chips")
        }
        return totals
    }

    /// Who gained and who lost chips from run `a` to run `b`, per customer,
    /// with the chips run `b` released from each customer's frozen lots.
    ///
    /// - Throws: `NotFound` for an unknown run.
    public func diff(_ a: Int, _ b: Int) throws -> [PlanChange] {
        for run in [a, b] where try !exists(run) { throw NotFound("allocation run \(run)") }
        return PlanChange.between(try customerTotals(run: a), try customerTotals(run: b), released: Release.byCustomer(try releases(run: b)))
    }
}

extension PlanChange {
    /// Changes per customer between two sets of totals, with the chips the
    /// later plan released per customer: largest change first, customers
    /// with no change and no release left out.
    public static func between(_ before: [String: Int], _ after: [String: Int], released: [String: Int] = [:]) -> [PlanChange] {
        let customers = Set(before.keys).union(after.keys).union(released.keys)
        let changes: [PlanChange] = customers.map {
            PlanChange(customer: $0, before: before[$0] ?? 0, after: after[$0] ?? 0, released: released[$0] ?? 0)
        }
        return changes.filter { $0.change != 0 || $0.released > 0 }.sorted { a, b in
            let sizeA = abs(a.change), sizeB = abs(b.change)
            return sizeA != sizeB ? sizeA > sizeB : a.customer < b.customer
        }
    }
}

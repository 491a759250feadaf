import Allocation
import Database
import Foundation

/// A stored allocation run.
public struct RunRecord: Equatable, Sendable {
    public let id: Int
    public let asOf: String
    public let method: String
    public let internalFloor: Decimal
    public let frozenWeeks: Int
    public let startedAt: Date
    public let finishedAt: Date
    public let runBy: String
    public let openLines: Int
    public let demandChips: Int
    public let allocatedChips: Int
    public let backlogChips: Int
    public let trimmedChips: Int
    public let computeMilliseconds: Int
    public let isCurrent: Bool
}

/// One customer's change between two plans.
public struct PlanChange: Equatable, Sendable {
    public let customer: String
    public let before: Int
    public let after: Int
    public var change: Int { after - before }

    public init(customer: String, before: Int, after: Int) {
        self.customer = customer
        self.before = before
        self.after = after
    }
}

/// Another run holds the single-runner lock.
public struct RunInProgress: Error, CustomStringConvertible, Sendable {
    public let holder: String?
    public var description: String {
        "another allocation run is in progress\(holder.map { " (\($0))" } ?? ""); try again later, or pass --wait"
    }
}

/// Allocation runs and the current plan in PostgreSQL.
public struct RunStore {
    let connection: Connection

    public init(_ connection: Connection) { self.connection = connection }

    /// Key of the session advisory lock that lets one run at a time ("chipsrun").
    static let lockKey = 0x6368_6970_7372_756E

    /// Takes the single-runner lock for this session, waiting for it when
    /// `wait` is true; otherwise throws `RunInProgress` when another session
    /// holds it. A killed run's session ends and frees the lock.
    public func lock(wait: Bool) throws {
        if wait {
            try connection.execute("SELECT pg_advisory_lock($1)", [Self.lockKey])
            return
        }
        let acquired: Bool = try connection.queryFirst("SELECT pg_try_advisory_lock($1) AS ok", [Self.lockKey])!.decode("ok")
        guard acquired else {
            let holder = try connection.queryFirst(
                """
                SELECT format('%s since %s', coalesce(nullif(a.usename::text, ''), 'someone'),
                              to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')) AS who
                FROM pg_locks k JOIN pg_stat_activity a ON a.pid = k.pid
                WHERE k.locktype = 'advisory' AND k.granted
                  AND ((k.classid::bigint << 32) | k.objid::bigint) = $1
                LIMIT 1
                """, [Self.lockKey])
            throw RunInProgress(holder: try holder?.decodeIfPresent("who"))
        }
    }

    public func unlock() throws {
        try connection.execute("SELECT pg_advisory_unlock($1)", [Self.lockKey])
    }

    /// The current plan's run id, if any run was stored.
    public func currentRunID() throws -> Int? {
        try connection.queryFirst("SELECT run_id FROM current_plan")?.decode("run_id")
    }

    /// Stores a run and makes it the current plan, all in one transaction.
    ///
    /// Rows go in with COPY. Lines whose open quantity fell while the run
    /// computed (cancelled, reduced or shipped after `input` was read) are
    /// re-checked under a lock that holds off further changes until commit,
    /// and their allocations trimmed to what is open, latest weeks first.
    ///
    /// - Returns: the new run's id and the chips trimmed.
    public func save(
        _ result: AllocationResult, input: PlanInput, startedAt: Date, computeMilliseconds: Int
    ) throws -> (id: Int, trimmed: Int) {
        let scenario = input.scenario
        let lines = input.lines
        // Each allocation's line (position in scenario.orders), in key order
        // (line id, week): the rows load in the order the primary key is
        // built in, which makes that sort cheap.
        var rows: [AllocationRow] = []
        rows.reserveCapacity(result.allocations.count)
        for (n, a) in result.allocations.enumerated() {
            guard let line = lines.position(ofKey: a.order) else {
                throw DatabaseError(kind: .misuse, message: "the result allocates to line \(a.order), which the run did not read")
            }
            rows.append((lines.ids[line] << 20 | a.period.ordinal & 0xFFFFF, Int32(n), Int32(line)))
        }
        rows.sort { $0.key < $1.key }
        var texts = CopyTexts(lines)
        return try connection.transaction { tx in
            let totals = Totals(result: result, input: input)
            let run: Int = try tx.queryFirst(
                """
                INSERT INTO allocation_runs (policy_id, as_of, started_at, open_lines, customers, skus, supply_weeks,
                    fixed_rows, supply_chips, on_hand_chips, demand_chips, allocated_chips, backlog_chips, compute_ms)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id
                """,
                [input.policy.id, input.asOf.description, startedAt, scenario.orders.count, scenario.customers.count,
                 scenario.products.count, scenario.supply.count, scenario.fixed.count, totals.supply, totals.onHand,
                 totals.demand, totals.allocated, totals.backlog, computeMilliseconds])!.decode("id")

            try writeAllocations(tx, run: run, result: result, rows: rows, input: input, texts: &texts)
            try writeExplanations(tx, run: run, result: result, scenario: scenario, texts: &texts)
            try writePeriods(tx, run: run, result: result, input: input)
            try writeSummaries(tx, run: run, result: result, rows: rows, input: input, texts: &texts)

            // Hold off cancellations, amendments and shipments until commit, then
            // trim what the run gave lines that changed since the input was read.
            try tx.executeScript("LOCK TABLE order_lines IN SHARE MODE")
            let changed = try tx.execute(
                """
                SELECT DISTINCT l.id FROM order_events e
                JOIN order_lines l ON l.order_id = e.order_id AND (e.line_no IS NULL OR l.line_no = e.line_no)
                WHERE e.id > $1 AND e.action <> 'created'
                """, [input.eventWatermark]
            ).map { try $0.decode("id", as: Int.self) }
            var trimmed = 0
            if !changed.isEmpty {
                trimmed = try tx.queryFirst(
                    """
                    WITH kept AS (
                        SELECT a.order_line_id, a.week, a.quantity,
                               greatest(0, least(a.quantity, (l.quantity - l.cancelled_qty - l.shipped_qty)
                                   - coalesce(sum(a.quantity) OVER (PARTITION BY a.order_line_id ORDER BY a.week
                                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))) AS keep
                        FROM allocations a JOIN order_lines l ON l.id = a.order_line_id
                        WHERE a.run_id = $1 AND a.order_line_id = ANY ($2::bigint[])
                    ), removed AS (
                        DELETE FROM allocations a USING kept k
                        WHERE a.run_id = $1 AND a.order_line_id = k.order_line_id AND a.week = k.week AND k.keep = 0
                        RETURNING a.quantity
                    ), reduced AS (
                        UPDATE allocations a SET quantity = k.keep FROM kept k
                        WHERE a.run_id = $1 AND a.order_line_id = k.order_line_id AND a.week = k.week
                          AND k.keep > 0 AND k.keep < k.quantity
                        RETURNING k.quantity - k.keep AS quantity
                    )
                    SELECT (coalesce((SELECT sum(quantity) FROM removed), 0)
                            + coalesce((SELECT sum(quantity) FROM reduced), 0))::bigint AS trimmed
                    """, [run, "{" + changed.map(String.init).joined(separator: ",") + "}"])!.decode("trimmed")
            }
            if trimmed > 0 {
                try tx.execute(
                    "UPDATE allocation_runs SET trimmed_chips = $2, allocated_chips = allocated_chips - $2 WHERE id = $1",
                    [run, trimmed])
                // Rare: sum the report figures again from the trimmed plan.
                try tx.execute("DELETE FROM allocation_values WHERE run_id = $1", [run])
                try tx.execute("DELETE FROM allocation_order_book WHERE run_id = $1", [run])
                try tx.execute(
                    """
                    INSERT INTO allocation_values (run_id, customer_id, week, currency, chips, value)
                    SELECT a.run_id, a.customer_id, a.week, l.currency, sum(a.quantity), sum(a.quantity * l.unit_price)
                    FROM allocations a JOIN order_lines l ON l.id = a.order_line_id WHERE a.run_id = $1
                    GROUP BY a.run_id, a.customer_id, a.week, l.currency
                    """, [run])
                try tx.execute(
                    """
                    INSERT INTO allocation_order_book (run_id, customer_id, requested_week, chips)
                    SELECT a.run_id, a.customer_id, l.requested_week, sum(a.quantity)
                    FROM allocations a JOIN order_lines l ON l.id = a.order_line_id WHERE a.run_id = $1
                    GROUP BY a.run_id, a.customer_id, l.requested_week
                    """, [run])
            }
            try tx.execute(
                """
                INSERT INTO current_plan (singleton, run_id) VALUES (true, $1)
                ON CONFLICT (singleton) DO UPDATE SET run_id = EXCLUDED.run_id, since = now()
                """, [run])
            try tx.execute("UPDATE allocation_runs SET finished_at = clock_timestamp() WHERE id = $1", [run])
            // Fresh statistics for the tables reports join per run: without them the
            // planner guesses a new run is empty and may pick a quadratic join.
            try tx.execute("SELECT analyze_run_tables()")
            return (run, trimmed)
        }
    }
}

/// Chip totals of a run.
struct Totals {
    let supply: Int
    let onHand: Int
    let demand: Int
    let allocated: Int
    let backlog: Int

    init(result: AllocationResult, input: PlanInput) {
        supply = input.scenario.supply.reduce(0) { $0 + $1.quantity }
        onHand = input.scenario.products.reduce(0) { $0 + $1.onHand }
        demand = input.scenario.orders.reduce(0) { $0 + $1.quantity } + input.scenario.fixed.reduce(0) { $0 + $1.quantity }
        allocated = result.allocations.reduce(0) { $0 + $1.quantity }
        backlog = result.backlog.reduce(0) { $0 + $1.quantity }
    }
}

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
    /// Fixed chips the run released (step 2 of the allocation rules).
    public let releasedChips: Int
    public let computeMilliseconds: Int
    public let isCurrent: Bool
}

/// One customer's change between two plans.
public struct PlanChange: Equatable, Sendable {
    public let customer: String
    public let before: Int
    public let after: Int
    /// Fixed chips the later plan's run released from the customer's lines
    /// (step 2 of the allocation rules); later weeks may have given them back.
    public let released: Int
    public var change: Int { after - before }

    public init(customer: String, before: Int, after: Int, released: Int = 0) {
        self.customer = customer
        self.before = before
        self.after = after
        self.released = released
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

    /// The current plan's run id, if any run was stored.
    public func currentRunID() throws -> Int? {
        try connection.queryFirst("SELECT run_id FROM current_plan")?.decode("run_id")
    }

    /// Stores a run and makes it the current plan, all in one transaction.
    ///
    /// `allocation_run_begin` records the run and makes the table its
    /// allocations load into; the rows go in with COPY; `allocation_run_commit`
    /// (schemas 007, 011 and 015) attaches that table, checks each week against its
    /// stock, and, under locks that let changes in flight finish and hold off
    /// new ones until commit, takes out of the plan what lines shipped since
    /// the input was read (earliest weeks first) and trims every line changed
    /// since the input was read (found by transaction, schema 015) that the
    /// plan holds chips for before its requested week (all of those) or more for
    /// than is open then (latest weeks first; `trim_plan`, schema 012). Lines
    /// cancelled, reduced, moved later or shipped while the run computed are
    /// trimmed whenever their change committed. The chips the engine released are stored per line
    /// and week, and their total on the run.
    ///
    /// The run's totals and internal chips come from `figures` (built from
    /// `input` and `result` when not given), the same value `allocate run`
    /// reports.
    ///
    /// - Returns: the new run's id and the chips trimmed.
    public func save(
        _ result: AllocationResult, input: PlanInput, figures: RunFigures? = nil, startedAt: Date, computeMilliseconds: Int
    ) throws -> (id: Int, trimmed: Int) {
        try input.lines.requireStoringDetail(for: "storing a run")
        let scenario = input.scenario
        let lines = input.lines
        // Each allocation's line (position in scenario.orders), in key order
        // (line id, week): the rows load in the order the primary key is
        // built in, which makes that sort cheap.
        var rows: [AllocationRow] = []
        rows.reserveCapacity(result.allocations.count)
        for (n, a) in result.allocations.enumerated() {
            guard let line = lines.position(ofKey: a.order) else {
                throw RunResultMismatch(action: "allocates to", lineKey: a.order)
            }
            rows.append((lines.ids[line] << 20 | a.period.ordinal & 0xFFFFF, Int32(n), Int32(line)))
        }
        rows.sort { $0.key < $1.key }
        var texts = CopyTexts(lines)
        return try connection.transaction { tx in
            let figures = figures ?? RunFigures(input: input, result: result)
            let totals = figures.total
            let run: Int = try tx.queryOne(
                """
                SELECT allocation_run_begin($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) AS id
                """,
                [input.policy.id, input.asOf.description, startedAt, scenario.orders.count, scenario.customers.count,
                 scenario.products.count, scenario.supply.count, scenario.fixed.count, totals.supply, totals.onHand,
                 totals.demand, totals.allocated, totals.backlog, computeMilliseconds]).decode("id")

            try writeAllocations(tx, run: run, result: result, rows: rows, input: input, texts: &texts)
            try writeExplanations(tx, run: run, result: result, scenario: scenario, texts: &texts)
            try writePeriods(tx, run: run, result: result, input: input, internalChips: figures.internalChipsByWeek)
            try writeSummaries(tx, run: run, result: result, rows: rows, input: input, texts: &texts)
            try writeReleases(tx, run: run, result: result, input: input, texts: &texts)

            let trimmed: Int = try tx.queryOne(
                "SELECT allocation_run_commit($1, $2::pg_snapshot) AS trimmed", [run, input.snapshot]).decode("trimmed")
            return (run, trimmed)
        }
    }
}

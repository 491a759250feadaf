import Allocation
import Database
import Foundation
import Store
import Values

/// The weekly allocation job: takes the single-runner lock, reads the plan
/// input as of a week, runs the engine, stores the run as the current plan,
/// releases the lock (also when a step throws) and works out what changed
/// from the previous plan.
///
/// `chipsales allocate run` parses its arguments, calls `run(on:)` and
/// prints the outcome; a scheduler or a test calls it the same way.
public struct AllocationJob: Sendable {
    /// First week of the horizon; `nil`: the current ISO week (UTC).
    public var asOf: Period?
    /// Compute and report, but store nothing (and take no lock).
    public var dryRun: Bool
    /// Wait for a run in progress instead of throwing `RunInProgress`.
    public var wait: Bool

    /// A step of the job, as it begins.
    public enum Phase: Sendable, Equatable {
        /// Reading the plan's input in one snapshot.
        case reading
        /// The engine, over this many open order lines.
        case allocating(lines: Int)
        /// Storing the run as the current plan.
        case storing
    }

    public init(asOf: Period? = nil, dryRun: Bool = false, wait: Bool = false) {
        self.asOf = asOf
        self.dryRun = dryRun
        self.wait = wait
    }

    /// Runs the job on `connection`.
    ///
    /// - Throws: `RunInProgress` when another run holds the lock and `wait`
    ///   is false; `ScenarioError` when the stored data makes no valid
    ///   scenario; `DatabaseError` from PostgreSQL. Nothing is stored when
    ///   the job throws, and the lock is released.
    ///
    /// `phase` hears each step as it begins, for a progress line.
    public func run(on connection: Connection, phase: (Phase) -> Void = { _ in }) async throws -> PlanRun {
        let runs = RunStore(connection)
        // One run at a time, from reading the input to storing the plan: the
        // input holds the current plan's frozen weeks.
        // Released on every path: right after storing, or when a step throws.
        let lock = dryRun ? nil : try runs.lock(wait: wait)
        defer { try? lock?.release() }
        let startedAt = Date()
        phase(.reading)
        let input = try read(connection)
        phase(.allocating(lines: input.scenario.orders.count))
        let (result, computeMilliseconds) = try await allocate(input, connection)
        let previous = try runs.currentRunID()
        let before = try previous.map { try runs.customerTotals(run: $0) } ?? [:]
        // Summed once: what the run stores and what its summary reports.
        let figures = RunFigures(input: input, result: result)
        if !dryRun { phase(.storing) }
        let saved = try dryRun
            ? nil : store(result, input, figures, startedAt: startedAt, computeMilliseconds: computeMilliseconds, connection)
        try lock?.release()
        let released = try input.releases(in: result)
        // The stored plan is the result, unless the commit-time check trimmed it.
        let after = if let saved, saved.trimmed > 0 { try runs.customerTotals(run: saved.id) } else { figures.allocatedByCustomer }
        return PlanRun(
            runID: saved?.id, previousRunID: previous, input: input, result: result, figures: figures,
            computeMilliseconds: computeMilliseconds, trimmed: saved?.trimmed ?? 0, released: released,
            changes: PlanChange.between(before, after, released: Release.byCustomer(released)),
            holdReasons: try Self.holdReasons(connection))
    }

    /// The plan input as of `asOf` (default: this ISO week), in one snapshot.
    func read(_ connection: Connection) throws -> PlanInput {
        let clock = ContinuousClock()
        let start = clock.now
        let input = try PlanInput.read(asOf: asOf ?? Period.current(), on: connection)
        connection.logger.info("read the input", metadata: ["lines": "\(input.scenario.orders.count)", "elapsed": "\(clock.now - start)"])
        return input
    }

    /// The engine, SKUs on concurrent tasks (the same result as the serial
    /// engine), and the milliseconds it took.
    func allocate(_ input: PlanInput, _ connection: Connection) async throws -> (AllocationResult, Int) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await Allocator().allocateConcurrently(input.scenario)
        let elapsed = clock.now - start
        connection.logger.info("allocated", metadata: ["elapsed": "\(elapsed)"])
        return (result, Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000))
    }

    /// Stores the run and makes it the current plan, in one transaction.
    func store(
        _ result: AllocationResult, _ input: PlanInput, _ figures: RunFigures, startedAt: Date, computeMilliseconds: Int,
        _ connection: Connection
    ) throws -> (id: Int, trimmed: Int) {
        let clock = ContinuousClock()
        let start = clock.now
        let saved = try RunStore(connection).save(result, input: input, figures: figures, startedAt: startedAt, computeMilliseconds: computeMilliseconds)
        connection.logger.info("stored the run", metadata: ["run": "\(saved.id)", "elapsed": "\(clock.now - start)"])
        return saved
    }

    /// Why each customer on hold is held, from the customer records.
    static func holdReasons(_ connection: Connection) throws -> [String: String] {
        try CustomerStore(connection).list().reduce(into: [String: String]()) { reasons, record in
            reasons[record.customer.id] = record.customer.holdReason
        }
    }
}

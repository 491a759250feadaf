import Allocation
import Database
import Domain
import Foundation
import Values

/// The allocation policy in force and its history.
public struct PolicyRecord: Equatable, Sendable {
    public let id: Int
    public let method: Policy.Method
    /// The internal buyers' floor share, e.g. `0.6`.
    public let internalFloor: Decimal
    /// The same floor as the engine takes it (read from the stored text, exactly).
    public let internalFloorShare: ExactDecimal
    public let frozenWeeks: Int
    public let historyWeeks: Int
    public let setAt: Date
    public let setBy: String

    /// The engine's view of this policy.
    public var enginePolicy: Policy {
        Policy(method: method, internalFloorShare: internalFloorShare, historyPeriods: historyWeeks)
    }
}

/// Changes to the policy; `nil` keeps the current value.
public struct PolicyChanges: Sendable {
    public var method: Policy.Method?
    public var internalFloor: Decimal?
    public var frozenWeeks: Int?
    public var historyWeeks: Int?

    public init(method: Policy.Method? = nil, internalFloor: Decimal? = nil, frozenWeeks: Int? = nil, historyWeeks: Int? = nil) {
        self.method = method
        self.internalFloor = internalFloor
        self.frozenWeeks = frozenWeeks
        self.historyWeeks = historyWeeks
    }
}

/// Policies in PostgreSQL: every change is a new row, the newest is in force.
public struct PolicyStore {
    let connection: Connection

    public init(_ connection: Connection) { self.connection = connection }

    public func current() throws -> PolicyRecord {
        guard let record = try history(limit: 1).first else {
            throw NotFound("allocation policy", hint: "run `chipsales db migrate`")
        }
        return record
    }

    /// Policies, newest first.
    public func history(limit: Int = 50) throws -> [PolicyRecord] {
        try connection.execute(
            """
            SELECT id, method, internal_floor::text AS internal_floor, frozen_weeks, history_weeks, set_at, set_by
            FROM allocation_policies ORDER BY id DESC LIMIT $1
            """, [limit]
        ).map(Self.record)
    }

    /// Records a new policy from the current one with `changes` applied.
    public func set(_ changes: PolicyChanges) throws -> PolicyRecord {
        try connection.transaction { tx in
            let store = PolicyStore(tx)
            let base = try store.current()
            let floor = changes.internalFloor ?? base.internalFloor
            guard floor >= 0, floor <= 1 else {
                throw ValidationFailure(record: "policy", field: "internal floor", problem: "must be between 0 and 1 (got \(floor))")
            }
            // The column holds 6 decimal places; more would be rounded away silently.
            var rounded = Decimal(), copy = floor
            NSDecimalRound(&rounded, &copy, 6, .plain)
            guard rounded == floor else {
                throw ValidationFailure(
                    record: "policy", field: "internal floor", problem: "must have at most 6 decimal places (got \(floor))")
            }
            let frozen = changes.frozenWeeks ?? base.frozenWeeks
            guard (0...52).contains(frozen) else {
                throw ValidationFailure(record: "policy", field: "frozen weeks", problem: "must be between 0 and 52 (got \(frozen))")
            }
            let history = changes.historyWeeks ?? base.historyWeeks
            guard (0...520).contains(history) else {
                throw ValidationFailure(record: "policy", field: "history weeks", problem: "must be between 0 and 520 (got \(history))")
            }
            try tx.execute(
                """
                INSERT INTO allocation_policies (method, internal_floor, frozen_weeks, history_weeks)
                VALUES ($1, $2::numeric, $3, $4)
                """, [(changes.method ?? base.method).rawValue, floor, frozen, history])
            return try store.current()
        }
    }

    /// A stored policy, or `StoreInconsistency` naming the row when its
    /// method or floor is not one the engine can take (a floor is never read
    /// as zero: internal buyers would silently lose it).
    static func record(_ row: Row) throws -> PolicyRecord {
        let id: Int = try row.decode("id")
        let text: String = try row.decode("method")
        guard let method = Policy.Method(rawValue: text) else {
            throw StoreInconsistency(
                table: "allocation_policies", row: "id \(id)", column: "method", value: text,
                problem: "is not an allocation method this version knows")
        }
        let floorText: String = try row.decode("internal_floor")
        guard let share = ExactDecimal(floorText), share >= .zero, share <= .one,
              let floor = Decimal(string: floorText, locale: Locale(identifier: "en_US_POSIX")) else {
            throw StoreInconsistency(
                table: "allocation_policies", row: "id \(id)", column: "internal_floor", value: floorText,
                problem: "is not a share between 0 and 1 with at most \(ExactDecimal.maxScale) decimal places")
        }
        return PolicyRecord(
            id: id, method: method, internalFloor: floor, internalFloorShare: share, frozenWeeks: try row.decode("frozen_weeks"),
            historyWeeks: try row.decode("history_weeks"), setAt: try row.decode("set_at"), setBy: try row.decode("set_by"))
    }
}

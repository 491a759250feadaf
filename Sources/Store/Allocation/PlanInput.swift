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
        let products = try readProducts(tx, skus: skus)
        let customers = try readCustomers(tx, skus: skus)
        let (supplyRows, supply) = try readSupply(tx, from: asOf, skus: skus)
        let frozen = try readFrozen(tx, asOf: asOf, frozenWeeks: policy.frozenWeeks, skus: skus)
        let history = try readHistory(tx, before: asOf, weeks: policy.historyWeeks, skus: skus)
        var (orders, lines) = try readOpenLines(tx, skus: skus, detail: detail)
        let fixed = capFrozen(frozen, orders: &orders, lines: lines)
        let scenario = Scenario(
            policy: policy.enginePolicy, products: products, customers: customers, supply: supplyRows,
            orders: orders, fixed: fixed, history: history)
        return PlanInput(
            asOf: asOf, policy: policy, scenario: scenario, supply: supply, lines: lines, snapshot: snapshot)
    }
}

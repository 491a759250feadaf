import Allocation
import Database

extension PlanInput {
    /// The chips `result` released, named as planners name lines (order, line
    /// number, customer, SKU), in the order `RunStore.releases(run:)` lists
    /// a stored run's: by week, customer, order and line. Read from the input,
    /// not the store, so a dry run shows them too; the work is per released
    /// row (usually none), never per line.
    ///
    /// - Throws: `RunResultMismatch` when the result releases chips of a
    ///   line the run did not read.
    public func releases(in result: AllocationResult) throws -> [Release] {
        if !result.released.isEmpty { try lines.requireStoringDetail(for: "naming released lines") }
        return try result.released.map { row in
            guard let position = lines.position(ofKey: row.order) else {
                throw RunResultMismatch(action: "releases chips of", lineKey: row.order)
            }
            return Release(
                order: lines.orders[position], line: Int(lines.numbers[position]),
                customer: lines.customerIDs[Int(lines.customer[position])], sku: row.sku, week: row.period, quantity: row.quantity)
        }
        .sorted { ($0.week, $0.customer, $0.order, $0.line) < ($1.week, $1.customer, $1.order, $1.line) }
    }
}

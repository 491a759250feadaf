import Allocation
import Values

extension PlanInput {
    /// One allocation of the current plan in a frozen week, as stored.
    struct FrozenRow {
        let line: Int
        let period: Period
        let quantity: Int
    }

    /// The fixed lots of a run: `frozen` (sorted by line, then week) capped
    /// per line at what the line still has open, week by week (a week gets
    /// what is left of the line's open chips after its earlier frozen weeks;
    /// weeks left with nothing are dropped, and so are lines no longer open).
    /// Takes each line's fixed chips out of its quantity in `orders`, which
    /// comes in holding the line's open chips.
    ///
    /// Capping here rather than in SQL spares the query a lookup of every
    /// frozen row's line: the open lines are read anyway.
    static func capFrozen(_ frozen: [FrozenRow], orders: inout [Scenario.Line], lines: Lines) -> [FixedAllocation] {
        var fixed: [FixedAllocation] = []
        fixed.reserveCapacity(frozen.count)
        var start = 0
        while start < frozen.count {
            let line = frozen[start].line
            var end = start + 1
            while end < frozen.count, frozen[end].line == line { end += 1 }
            defer { start = end }
            guard let position = lines.position(ofID: line) else { continue }
            let open = orders[position].quantity
            var before = 0
            var taken = 0
            let key = lineKey(line)
            for row in frozen[start..<end] {
                let quantity = min(row.quantity, open - before)
                before += row.quantity
                guard quantity > 0 else { continue }
                fixed.append(FixedAllocation(order: key, period: row.period, quantity: quantity))
                taken += quantity
            }
            orders[position].quantity = open - taken
        }
        return fixed
    }
}

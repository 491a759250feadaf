import Allocation

extension QuoteStore {
    /// The quoted lines' confirmations and the customers displaced.
    struct Outcome {
        let lines: [OrderQuote.Line]
        let displaced: [OrderQuote.Displaced]
    }

    /// Allocates `scenario` (the order in) and the same scenario without the
    /// quoted lines (at `positions` in `scenario.orders`, and their fixed lots),
    /// from one validation and index, and compares the two.
    ///
    /// - Confirmed: the order's lines' allocations in the run with the order, by week.
    /// - Displaced: per customer, the chips its other lines get without the
    ///   order minus what they get with it, where that is positive (a
    ///   customer's chips summed from the result's per-customer rows, less
    ///   the quoted lines' own).
    static func outcome(scenario: Scenario, positions: [Int], quoted: [QuotedLine]) async throws -> Outcome {
        let prepared = try PreparedScenario(scenario)
        let without = prepared.leavingOut(lines: positions)
        // The two runs are independent: a quote's few SKUs would leave the other core idle.
        async let allocatedWith = prepared.allocate()
        async let allocatedWithout = without.allocate()
        let (withOrder, withoutOrder) = await (allocatedWith, allocatedWithout)
        var quotedPosition: [String: Int] = [:]
        for (position, line) in quoted.enumerated() { quotedPosition[PlanInput.lineKey(line.id)] = position }

        // Confirmed: allocations come sorted by SKU, week and line, so each line's weeks are in order.
        var confirmed = [[OrderQuote.Week]](repeating: [], count: quoted.count)
        for allocation in withOrder.allocations {
            guard let position = quotedPosition[allocation.order] else { continue }
            confirmed[position].append(OrderQuote.Week(week: allocation.period, quantity: allocation.quantity))
        }
        let lines = quoted.enumerated().map { position, line in
            let weeks = confirmed[position]
            return OrderQuote.Line(
                number: line.number, sku: line.sku, quantity: line.quantity, requestedWeek: line.requestedWeek,
                confirmed: weeks, unconfirmed: line.open - weeks.reduce(0) { $0 + $1.quantity })
        }

        // Displaced: chips of every other line, per customer. Without the
        // order its lines hold nothing; with it, the customer's total
        // includes what they were confirmed.
        func chipsPerCustomer(_ result: AllocationResult) -> [String: Int] {
            var chips: [String: Int] = [:]
            for row in result.customers where row.allocated > 0 { chips[row.customer, default: 0] += row.allocated }
            return chips
        }
        let before = chipsPerCustomer(withoutOrder)
        var after = chipsPerCustomer(withOrder)
        for (position, line) in quoted.enumerated() {
            after[line.customer, default: 0] -= confirmed[position].reduce(0) { $0 + $1.quantity }
        }
        var displaced: [OrderQuote.Displaced] = []
        for (customer, chips) in before where chips > after[customer, default: 0] {
            displaced.append(OrderQuote.Displaced(customer: customer, quantity: chips - after[customer, default: 0]))
        }
        displaced.sort {
            $0.quantity != $1.quantity ? $0.quantity > $1.quantity : $0.customer.utf8.lexicographicallyPrecedes($1.customer.utf8)
        }
        return Outcome(lines: lines, displaced: displaced)
    }
}

import Allocation
import Foundation

extension QuoteStore {
    /// The quoted lines' confirmations and the customers displaced.
    struct Outcome {
        let lines: [OrderQuote.Line]
        let displaced: [OrderQuote.Displaced]
    }

    /// Allocates `with` (the order in) and `without` (the order out), both
    /// read as `input`, and compares them.
    ///
    /// - Confirmed: the order's lines' allocations in the run with the order, by week.
    /// - Displaced: per customer, the chips its other lines get without the
    ///   order minus what they get with it, where that is positive.
    static func outcome(input: PlanInput, with: Scenario, without: Scenario, quoted: [QuotedLine]) throws -> Outcome {
        let (withOrder, withoutOrder) = try allocate(with, without)
        var quotedPosition: [Int: Int] = [:]
        for (position, line) in quoted.enumerated() { quotedPosition[line.id] = position }

        // Confirmed: allocations come sorted by SKU, week and line, so each line's weeks are in order.
        var confirmed = [[OrderQuote.Week]](repeating: [], count: quoted.count)
        for allocation in withOrder.allocations {
            guard let id = PlanInput.lineID(allocation.order), let position = quotedPosition[id] else { continue }
            confirmed[position].append(OrderQuote.Week(week: allocation.period, quantity: allocation.quantity))
        }
        let lines = quoted.enumerated().map { position, line in
            let weeks = confirmed[position]
            return OrderQuote.Line(
                number: line.number, sku: line.sku, quantity: line.quantity, requestedWeek: line.requestedWeek,
                confirmed: weeks, unconfirmed: line.open - weeks.reduce(0) { $0 + $1.quantity })
        }

        // Displaced: chips of every other line, summed per customer code.
        func chipsOfOtherLines(_ result: AllocationResult) -> [Int] {
            var chips = [Int](repeating: 0, count: input.lines.customerIDs.count)
            for allocation in result.allocations {
                guard let id = PlanInput.lineID(allocation.order), quotedPosition[id] == nil,
                      let position = input.lines.position(ofKey: allocation.order) else { continue }
                chips[Int(input.lines.customer[position])] += allocation.quantity
            }
            return chips
        }
        let before = chipsOfOtherLines(withoutOrder)
        let after = chipsOfOtherLines(withOrder)
        var displaced: [OrderQuote.Displaced] = []
        for code in before.indices where before[code] > after[code] {
            displaced.append(OrderQuote.Displaced(customer: input.lines.customerIDs[code], quantity: before[code] - after[code]))
        }
        displaced.sort {
            $0.quantity != $1.quantity ? $0.quantity > $1.quantity : $0.customer.utf8.lexicographicallyPrecedes($1.customer.utf8)
        }
        return Outcome(lines: lines, displaced: displaced)
    }

    /// The engine on two scenarios at once: they are independent, and a quote's
    /// few SKUs leave the other core idle otherwise.
    static func allocate(_ first: Scenario, _ second: Scenario) throws -> (AllocationResult, AllocationResult) {
        final class Results: @unchecked Sendable {
            // Two properties, each written by one iteration only; read after both ended.
            var first: Result<AllocationResult, any Error> = .failure(CancellationError())
            var second: Result<AllocationResult, any Error> = .failure(CancellationError())
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 2) { n in
            if n == 0 {
                results.first = Result { try Allocator().allocate(first) }
            } else {
                results.second = Result { try Allocator().allocate(second) }
            }
        }
        return (try results.first.get(), try results.second.get())
    }
}

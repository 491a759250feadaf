import Values

/// The rows a SKU's weeks add to the result: allocations, explanation rows, backlog.
extension SKUAllocation {
    /// Sorts one week's rows by line id, merges a line's fixed and new lots, appends them.
    func appendRows(_ rows: inout [WeekLedger.Row], period: Period, into result: inout AllocationResult) {
        rows.sort { $0.rank < $1.rank }
        let ids = model.index.idsByRank
        var next = 0
        while next < rows.count {
            var chips = rows[next].chips
            let rank = rows[next].rank
            next += 1
            while next < rows.count, rows[next].rank == rank {
                chips += rows[next].chips
                next += 1
            }
            result.allocations.append(.init(order: ids[Int(rank)], sku: sku, period: period, quantity: chips))
        }
    }

    /// One explanation row per customer with demand or fixed lots this week;
    /// clears the week's fixed lots for the next week.
    func appendExplanations(ledger: inout WeekLedger, period: Period, into result: inout AllocationResult) {
        for customer in customers {
            let rank = Int(customer)
            let asked = eligibleLots[rank] + ledger.givenLots[rank]
            guard asked > 0 || ledger.fixedLots[rank] > 0 else { continue }
            result.customers.append(.init(customer: model.customerIDs[rank], sku: sku, period: period,
                                          demand: asked * lotSize, fixed: ledger.fixedLots[rank] * lotSize,
                                          guaranteed: ledger.guaranteedLots[rank] * lotSize,
                                          allocated: (ledger.fixedLots[rank] + ledger.givenLots[rank]) * lotSize,
                                          tier: model.tier[rank],
                                          weight: model.scenario.customers[model.index.customerOrder[rank]].weight,
                                          held: model.hold[rank]))
            ledger.fixedLots[rank] = 0
        }
    }

    /// Lines of this SKU with open lots left, by line id.
    func appendBacklog(into result: inout AllocationResult) {
        let lineRank = model.index.lineRank
        var left: [(rank: Int32, position: Int)] = []
        for position in 0..<queueLine.count where openLots[position] > 0 {
            left.append((lineRank[Int(queueLine[position])], position))
        }
        left.sort { $0.rank < $1.rank }
        let idsByRank = model.index.idsByRank, customerOfLine = model.index.lineCustomer
        result.backlog.reserveCapacity(result.backlog.count + left.count)
        for (rank, position) in left {
            let customer = Int(customerOfLine[Int(queueLine[position])])
            result.backlog.append(.init(order: idsByRank[Int(rank)], customer: model.customerIDs[customer], sku: sku,
                                        quantity: openLots[position] * lotSize, held: model.hold[customer]))
        }
    }
}

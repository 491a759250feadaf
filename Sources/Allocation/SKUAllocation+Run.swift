import Values

extension SKUAllocation {
    /// Runs the weeks of the horizon and appends this SKU's rows to `result`.
    mutating func run(into result: inout AllocationResult) {
        let s = model.scenario
        let onHand = s.products[product].onHand
        guard let horizon = model.index.horizon[product] else {
            appendBacklog(into: &result)
            result.unallocated.append(.init(sku: sku, quantity: onHand))
            return
        }
        let weeks = horizon.count
        let first = horizon.lowerBound
        var supply = [Int](repeating: 0, count: weeks)
        for row in s.supply where row.sku == sku { supply[row.period.ordinal - first] = row.quantity }
        // Fixed rows by week: (queue position, lots).
        var positionOfLine: [Int32: Int] = [:]
        var fixedByWeek = [[(Int, Int)]](repeating: [], count: weeks)
        for f in model.fixedByProduct[product] {
            let row = s.fixed[Int(f)]
            let lineIndex = model.index.fixedLine[Int(f)]
            if positionOfLine.isEmpty { for (pos, l) in line.enumerated() { positionOfLine[l] = pos } }
            fixedByWeek[row.period.ordinal - first].append((positionOfLine[lineIndex]!, row.quantity / lotSize))
        }
        let cCount = model.customerIDs.count
        var rule = LotRule(slots: cCount)
        for c in 0..<cCount { rule.den[c] = model.weightDen[c] }
        let method = s.policy.method
        let multiplier = switch method {
        case .fair: 1
        case .proportional: totalLots
        case .turnAndEarn: max(1, historyLots.max() ?? 0)
        }
        rule.setWide(!LotRule.fitsNarrow(maxUnits: model.maxWeightUnits, maxMultiplier: multiplier,
                                         maxDenominator: model.maxWeightDen, maxLots: totalLots))
        var fixedLots = [Int](repeating: 0, count: cCount)
        var demand = fixedLots, guaranteed = fixedLots, given = fixedLots, holding = fixedLots, cap = fixedLots, scratch = fixedLots
        var tiers = Array(Set(customers.map { model.tier[Int($0)] })).sorted()
        if tiers.isEmpty { tiers = [1] }
        var participants: [Int32] = [], internals: [Int32] = [], members: [Int32] = []
        var rows: [(rank: Int32, chips: Int)] = []
        var carry = onHand
        let floorShare = s.policy.internalFloorShare

        for wi in 0..<weeks {
            let week = first + wi
            let period = Period(ordinal: week)
            let available = carry + supply[wi]
            let lots = available / lotSize
            // Step 2: fixed allocations; lots beyond the week's are released first (rare).
            var fixedTotal = 0
            for (_, n) in fixedByWeek[wi] { fixedTotal += n }
            if fixedTotal > lots {
                release(fixedTotal - lots, of: &fixedByWeek[wi], period: period, into: &result)
                fixedTotal = lots
            }
            rows.removeAll(keepingCapacity: true)
            for (pos, n) in fixedByWeek[wi] {
                let c = Int(model.index.lineCustomer[Int(line[pos])])
                fixedLots[c] += n
                if n > 0 { rows.append((model.index.lineRank[Int(line[pos])], n * lotSize)) }
            }
            // Step 3: eligible demand, weights and tie keys.
            advance(to: week)
            participants.removeAll(keepingCapacity: true)
            internals.removeAll(keepingCapacity: true)
            var internalDemand = 0, internalFixed = 0
            for cr in customers {
                let c = Int(cr)
                given[c] = 0; guaranteed[c] = 0
                holding[c] = fixedLots[c]
                var d = model.hold[c] ? 0 : eligibleLots[c]
                if capLots[c] >= 0 { d = min(d, max(0, capLots[c] - fixedLots[c])) }
                demand[c] = d
                if model.isInternal[c], !model.hold[c] { internalFixed += fixedLots[c] }
                guard d > 0 else { continue }
                participants.append(cr)
                let front = Int(deque[dequeHead[c]])
                rule.tieSeconds[c] = placedSeconds[front]
                rule.tieNanos[c] = placedNanos[front]
                switch method {
                case .fair: rule.setNumerator(c, units: model.weightUnits[c], times: 1)
                case .proportional: rule.setNumerator(c, units: model.weightUnits[c], times: d)
                case .turnAndEarn: rule.setNumerator(c, units: model.weightUnits[c], times: max(1, historyLots[c]))
                }
                if model.isInternal[c] { internals.append(cr); internalDemand += d }
            }
            // Step 4: guarantees.
            let floorTotal = min(internalDemand, max(0, floorShare.floorTimes(lots) - internalFixed))
            _ = rule.apportion(total: floorTotal, members: internals, held: holding, cap: demand, out: &scratch)
            members.removeAll(keepingCapacity: true)
            var guaranteeSum = 0
            for cr in participants {
                let c = Int(cr)
                var g = min(demand[c], max(0, minimumLots[c] - fixedLots[c]))
                if model.isInternal[c] { g = min(demand[c], g + scratch[c]) }
                cap[c] = g
                if g > 0 { members.append(cr); guaranteeSum += g }
            }
            var free = lots - fixedTotal
            free -= rule.apportion(total: min(guaranteeSum, free), members: members, held: holding, cap: cap, out: &guaranteed)
            for cr in members { let c = Int(cr); given[c] = guaranteed[c]; holding[c] += guaranteed[c] }
            // Step 5: tiers.
            for t in tiers where free > 0 {
                members.removeAll(keepingCapacity: true)
                for cr in participants where model.tier[Int(cr)] == t {
                    let c = Int(cr)
                    cap[c] = demand[c] - given[c]
                    if cap[c] > 0 { members.append(cr) }
                }
                guard !members.isEmpty else { continue }
                free -= rule.apportion(total: free, members: members, held: holding, cap: cap, out: &scratch)
                for cr in members { let c = Int(cr); given[c] += scratch[c]; holding[c] += scratch[c] }
            }
            // Step 6: lines; step 7: carry.
            var allocatedLots = fixedTotal
            let queueLines = line, ranks = model.index.lineRank
            for cr in participants where given[Int(cr)] > 0 {
                let c = Int(cr)
                allocatedLots += given[c]
                let l = lotSize
                fill(c, lots: given[c]) { pos, n in rows.append((ranks[Int(queueLines[pos])], n * l)) }
            }
            appendRows(&rows, period: period, into: &result)
            for cr in customers {
                let c = Int(cr)
                let asked = eligibleLots[c] + given[c]
                guard asked > 0 || fixedLots[c] > 0 else { continue }
                result.customers.append(.init(customer: model.customerIDs[c], sku: sku, period: period,
                                              demand: asked * lotSize, fixed: fixedLots[c] * lotSize,
                                              guaranteed: guaranteed[c] * lotSize,
                                              allocated: (fixedLots[c] + given[c]) * lotSize, tier: model.tier[c],
                                              weight: model.scenario.customers[model.index.customerOrder[c]].weight,
                                              held: model.hold[c]))
                fixedLots[c] = 0
            }
            let allocated = allocatedLots * lotSize
            carry = available - allocated
            result.periods.append(.init(sku: sku, period: period, available: available, allocated: allocated, carry: carry))
        }
        appendBacklog(into: &result)
        result.unallocated.append(.init(sku: sku, quantity: carry))
    }

    /// Sorts one week's rows by line id, merges a line's fixed and new lots, appends them.
    private func appendRows(_ rows: inout [(rank: Int32, chips: Int)], period: Period, into result: inout AllocationResult) {
        rows.sort { $0.rank < $1.rank }
        let ids = model.index.idsByRank
        var i = 0
        while i < rows.count {
            var chips = rows[i].chips
            let rank = rows[i].rank
            i += 1
            while i < rows.count, rows[i].rank == rank { chips += rows[i].chips; i += 1 }
            result.allocations.append(.init(order: ids[Int(rank)], sku: sku, period: period, quantity: chips))
        }
    }

    /// Lines of this SKU with open lots left, by line id.
    private func appendBacklog(into result: inout AllocationResult) {
        var left: [(Int32, Int)] = []
        let ranks = model.index.lineRank
        for pos in 0..<line.count where open[pos] > 0 {
            left.append((ranks[Int(line[pos])], pos))
        }
        left.sort { $0.0 < $1.0 }
        let byRank = model.index.idsByRank
        let customerOf = model.index.lineCustomer, hold = model.hold, ids = model.customerIDs
        result.backlog.reserveCapacity(result.backlog.count + left.count)
        for (rank, pos) in left {
            let l = Int(line[pos])
            let c = Int(customerOf[l])
            result.backlog.append(.init(order: byRank[Int(rank)], customer: ids[c], sku: sku, quantity: open[pos] * lotSize, held: hold[c]))
        }
    }
}

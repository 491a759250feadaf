import Values

/// The weekly procedure of docs/allocation.md, one named step per numbered step.
extension SKUAllocation {
    /// Runs the weeks of the horizon and appends this SKU's rows to `result`.
    mutating func run(into result: inout AllocationResult) {
        let onHand = model.scenario.products[product].onHand
        guard let horizon = model.index.horizon[product] else {
            // No supply rows, no weeks: every open line is backlog, the stock unallocated.
            appendBacklog(into: &result)
            result.unallocated.append(.init(sku: sku, quantity: onHand))
            return
        }
        let supplyByWeek = supplyChipsByWeek(horizon)
        var fixedByWeek = fixedLotsByWeek(horizon)
        let tiers = Array(Set(customers.map { model.tier[Int($0)] })).sorted()
        var rule = lotRule()
        var ledger = WeekLedger(customers: model.customerIDs.count)
        var carry = onHand
        for (weekIndex, week) in horizon.enumerated() {
            let period = Period(ordinal: week)
            // Step 1: available chips; only whole lots are handed out.
            let available = carry + supplyByWeek[weekIndex]
            let lots = available / lotSize
            let fixedLots = keepFixedLots(&fixedByWeek[weekIndex], lots: lots, period: period, ledger: &ledger, into: &result)
            takeEligibleDemand(week: week, ledger: &ledger, rule: &rule)
            var freeLots = lots - fixedLots
            freeLots -= handOutGuarantees(lots: lots, free: freeLots, ledger: &ledger, rule: &rule)
            freeLots -= handOutTiers(tiers, free: freeLots, ledger: &ledger, rule: &rule)
            let allocated = (fixedLots + fillLines(ledger: &ledger)) * lotSize
            appendRows(&ledger.rows, period: period, into: &result)
            appendExplanations(ledger: &ledger, period: period, into: &result)
            // Step 7: what is not handed out is carried to the next week.
            carry = available - allocated
            result.periods.append(.init(sku: sku, period: period, available: available, allocated: allocated, carry: carry))
        }
        appendBacklog(into: &result)
        result.unallocated.append(.init(sku: sku, quantity: carry))
    }

    /// Chips of supply in each week of the horizon (0 for a week without a row).
    func supplyChipsByWeek(_ horizon: ClosedRange<Int>) -> [Int] {
        var chips = [Int](repeating: 0, count: horizon.count)
        for row in model.scenario.supply where row.sku == sku { chips[row.period.ordinal - horizon.lowerBound] = row.quantity }
        return chips
    }

    /// The fixed allocations of each week of the horizon, as (queue position, lots).
    func fixedLotsByWeek(_ horizon: ClosedRange<Int>) -> [[FixedLots]] {
        var byWeek = [[FixedLots]](repeating: [], count: horizon.count)
        guard !model.fixedByProduct[product].isEmpty else { return byWeek }
        var positionOfLine: [Int32: Int] = [:]
        for (position, line) in queueLine.enumerated() { positionOfLine[line] = position }
        for fixedRow in model.fixedByProduct[product] {
            let row = model.scenario.fixed[Int(fixedRow)]
            let line = model.index.fixedLine[Int(fixedRow)]
            byWeek[row.period.ordinal - horizon.lowerBound].append((positionOfLine[line]!, row.quantity / lotSize))
        }
        return byWeek
    }

    /// The lot rule with this SKU's weights, exact in 128 bits when the
    /// largest priority allows it, in 256 bits otherwise.
    func lotRule() -> LotRule {
        let customerCount = model.customerIDs.count
        var rule = LotRule(slots: customerCount)
        for rank in 0..<customerCount { rule.den[rank] = model.weightDen[rank] }
        let largestMultiplier = switch model.scenario.policy.method {
        case .fair: 1
        case .proportional: totalLots
        case .turnAndEarn: max(1, historyLots.max() ?? 0)
        }
        rule.setWide(!LotRule.fitsNarrow(maxUnits: model.maxWeightUnits, maxMultiplier: largestMultiplier,
                                         maxDenominator: model.maxWeightDen, maxLots: totalLots))
        return rule
    }

    /// Step 2: keeps the week's fixed lots; when they need more lots than the
    /// week has, releases just enough of them. Returns the fixed lots kept.
    mutating func keepFixedLots(_ fixed: inout [FixedLots], lots: Int, period: Period, ledger: inout WeekLedger,
                                into result: inout AllocationResult) -> Int {
        var fixedTotal = 0
        for row in fixed { fixedTotal += row.lots }
        if fixedTotal > lots {
            release(fixedTotal - lots, of: &fixed, period: period, into: &result)
            fixedTotal = lots
        }
        ledger.rows.removeAll(keepingCapacity: true)
        for row in fixed {
            let line = Int(queueLine[row.position])
            ledger.fixedLots[Int(model.index.lineCustomer[line])] += row.lots
            if row.lots > 0 { ledger.rows.append((model.index.lineRank[line], row.lots * lotSize)) }
        }
        return fixedTotal
    }

    /// Step 3: each customer's eligible demand (open lots of lines requested
    /// by this week; none on hold; lowered by a cap), its weight under the
    /// policy and its tie key (placed-at of its oldest eligible line).
    mutating func takeEligibleDemand(week: Int, ledger: inout WeekLedger, rule: inout LotRule) {
        advance(to: week)
        ledger.participants.removeAll(keepingCapacity: true)
        ledger.internalParticipants.removeAll(keepingCapacity: true)
        ledger.internalDemandLots = 0
        ledger.internalFixedLots = 0
        let method = model.scenario.policy.method
        for customer in customers {
            let rank = Int(customer)
            ledger.givenLots[rank] = 0
            ledger.guaranteedLots[rank] = 0
            ledger.heldLots[rank] = ledger.fixedLots[rank]
            var demand = model.hold[rank] ? 0 : eligibleLots[rank]
            if capLots[rank] >= 0 { demand = min(demand, max(0, capLots[rank] - ledger.fixedLots[rank])) }
            ledger.demandLots[rank] = demand
            if model.isInternal[rank], !model.hold[rank] { ledger.internalFixedLots += ledger.fixedLots[rank] }
            guard demand > 0 else { continue }
            ledger.participants.append(customer)
            let oldest = Int(tieWindow[tieWindowHead[rank]])
            rule.tieSeconds[rank] = placedSeconds[oldest]
            rule.tieNanos[rank] = placedNanos[oldest]
            let multiplier = switch method {
            case .fair: 1
            case .proportional: demand
            case .turnAndEarn: max(1, historyLots[rank])
            }
            rule.setNumerator(rank, units: model.weightUnits[rank], times: multiplier)
            if model.isInternal[rank] {
                ledger.internalParticipants.append(customer)
                ledger.internalDemandLots += demand
            }
        }
    }

    /// Step 4: the internal floor (share × lots, less the internal buyers'
    /// fixed lots) and the contract minimums, rationed by the lot rule when
    /// the free lots cannot cover them. Returns the lots handed out.
    func handOutGuarantees(lots: Int, free: Int, ledger: inout WeekLedger, rule: inout LotRule) -> Int {
        let floorShare = model.scenario.policy.internalFloorShare
        let floorLots = min(ledger.internalDemandLots, max(0, floorShare.floorTimes(lots) - ledger.internalFixedLots))
        // Each internal buyer's part of the floor, by the lot rule, lands in `shareLots`.
        _ = rule.apportion(total: floorLots, members: ledger.internalParticipants, held: ledger.heldLots,
                           cap: ledger.demandLots, out: &ledger.shareLots)
        ledger.members.removeAll(keepingCapacity: true)
        var guaranteeLots = 0
        for customer in ledger.participants {
            let rank = Int(customer)
            var guarantee = min(ledger.demandLots[rank], max(0, minimumLots[rank] - ledger.fixedLots[rank]))
            if model.isInternal[rank] { guarantee = min(ledger.demandLots[rank], guarantee + ledger.shareLots[rank]) }
            ledger.limitLots[rank] = guarantee
            if guarantee > 0 {
                ledger.members.append(customer)
                guaranteeLots += guarantee
            }
        }
        let handedOut = rule.apportion(total: min(guaranteeLots, free), members: ledger.members, held: ledger.heldLots,
                                       cap: ledger.limitLots, out: &ledger.guaranteedLots)
        for customer in ledger.members {
            let rank = Int(customer)
            ledger.givenLots[rank] = ledger.guaranteedLots[rank]
            ledger.heldLots[rank] += ledger.guaranteedLots[rank]
        }
        return handedOut
    }

    /// Step 5: tier 1 shares the free lots by the lot rule, then tier 2, and
    /// so on while lots are left. Returns the lots handed out.
    func handOutTiers(_ tiers: [Int], free: Int, ledger: inout WeekLedger, rule: inout LotRule) -> Int {
        var freeLots = free
        for tier in tiers where freeLots > 0 {
            ledger.members.removeAll(keepingCapacity: true)
            for customer in ledger.participants where model.tier[Int(customer)] == tier {
                let rank = Int(customer)
                ledger.limitLots[rank] = ledger.demandLots[rank] - ledger.givenLots[rank]
                if ledger.limitLots[rank] > 0 { ledger.members.append(customer) }
            }
            guard !ledger.members.isEmpty else { continue }
            freeLots -= rule.apportion(total: freeLots, members: ledger.members, held: ledger.heldLots,
                                       cap: ledger.limitLots, out: &ledger.shareLots)
            for customer in ledger.members {
                let rank = Int(customer)
                ledger.givenLots[rank] += ledger.shareLots[rank]
                ledger.heldLots[rank] += ledger.shareLots[rank]
            }
        }
        return free - freeLots
    }

    /// Step 6: each customer's new lots go to its eligible lines in queue
    /// order (oldest requested, earliest placed, line id), filling each line
    /// before the next. Returns the lots handed out.
    mutating func fillLines(ledger: inout WeekLedger) -> Int {
        var handedOut = 0
        for customer in ledger.participants where ledger.givenLots[Int(customer)] > 0 {
            let rank = Int(customer)
            handedOut += ledger.givenLots[rank]
            fill(rank, lots: ledger.givenLots[rank], rows: &ledger.rows)
        }
        return handedOut
    }
}

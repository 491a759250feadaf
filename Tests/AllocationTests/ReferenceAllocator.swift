import Allocation
import Values

/// The plain, obviously-correct allocator the fast engine is checked against:
/// the spec's procedure written out literally, one lot at a time, with a
/// linear scan for the best priority. Slow on purpose; small scenarios only.
struct ReferenceAllocator {
    func allocate(_ s: Scenario) throws -> AllocationResult {
        try s.validate()
        var result = AllocationResult()
        let customerByID = Dictionary(uniqueKeysWithValues: s.customers.map { ($0.id, $0) })
        let lineByID = Dictionary(uniqueKeysWithValues: s.orders.map { ($0.id, $0) })
        for product in s.products.sorted(by: { bytesLess($0.sku, $1.sku) }) {
            let sku = product.sku, lot = product.lotSize
            let lines = s.orders.filter { $0.sku == sku }
            var open = Dictionary(uniqueKeysWithValues: lines.map { ($0.id, $0.quantity / lot) })
            let supplyRows = s.supply.filter { $0.sku == sku }
            var carry = product.onHand
            if let first = supplyRows.map(\.period).min(), let last = supplyRows.map(\.period).max() {
                var history: [String: Int] = [:]
                for h in s.history where h.sku == sku && h.period < first && h.period >= first.advanced(by: -s.policy.historyPeriods) {
                    history[h.customer, default: 0] += h.quantity
                }
                var week = first
                while week <= last {
                    let available = carry + (supplyRows.first { $0.period == week }?.quantity ?? 0)
                    let lots = available / lot
                    // Step 2: fixed.
                    var fixed: [String: Int] = [:]
                    var rows: [String: Int] = [:]
                    for f in s.fixed where f.period == week && lineByID[f.order]!.sku == sku {
                        fixed[lineByID[f.order]!.customer, default: 0] += f.quantity / lot
                        rows[f.order, default: 0] += f.quantity
                    }
                    var fixedTotal = fixed.values.reduce(0, +)
                    if fixedTotal > lots {
                        // Release: outside before internal, highest tier first, then the line served last.
                        let releaseOrder = rows.keys.map { lineByID[$0]! }.sorted { a, b in
                            let ca = customerByID[a.customer]!, cb = customerByID[b.customer]!
                            if ca.isInternal != cb.isInternal { return cb.isInternal }
                            if ca.tier != cb.tier { return ca.tier > cb.tier }
                            if a.requestedPeriod != b.requestedPeriod { return a.requestedPeriod > b.requestedPeriod }
                            if a.placedAt != b.placedAt { return a.placedAt > b.placedAt }
                            return bytesLess(b.id, a.id)
                        }
                        for l in releaseOrder where fixedTotal > lots {
                            let back = min(rows[l.id]! / lot, fixedTotal - lots)
                            guard back > 0 else { continue }
                            rows[l.id]! -= back * lot
                            fixed[l.customer]! -= back
                            open[l.id]! += back
                            fixedTotal -= back
                            result.released.append(.init(order: l.id, sku: sku, period: week, quantity: back * lot))
                        }
                    }
                    // Step 3: eligible demand, weights, tie keys.
                    func eligible(_ c: Scenario.Customer) -> [Scenario.Line] {
                        lines.filter { $0.customer == c.id && $0.requestedPeriod <= week && open[$0.id]! > 0 }
                            .sorted { a, b in
                                if a.requestedPeriod != b.requestedPeriod { return a.requestedPeriod < b.requestedPeriod }
                                if a.placedAt != b.placedAt { return a.placedAt < b.placedAt }
                                return bytesLess(a.id, b.id)
                            }
                    }
                    var demand: [String: Int] = [:], weight: [String: Fraction] = [:], tie: [String: Timestamp] = [:]
                    for c in s.customers where !c.hold {
                        let mine = eligible(c)
                        var d = mine.reduce(0) { $0 + open[$1.id]! }
                        if let m = c.maximumPerPeriod[sku] { d = min(d, max(0, m / lot - fixed[c.id, default: 0])) }
                        guard d > 0 else { continue }
                        demand[c.id] = d
                        tie[c.id] = mine.map(\.placedAt).min()!
                        let base = Fraction(c.weight)
                        switch s.policy.method {
                        case .fair: weight[c.id] = base
                        case .proportional: weight[c.id] = base.times(d)
                        case .turnAndEarn: weight[c.id] = base.times(max(1, history[c.id, default: 0] / lot))
                        }
                    }
                    var holding = fixed
                    let rule = ReferenceLotRule(weight: weight, tie: tie)
                    func lotRule(_ total: Int, _ members: [String], cap: [String: Int], start: [String: Int]) -> [String: Int] {
                        rule.apportion(total, members, cap: cap, start: start)
                    }
                    // Step 4: guarantees.
                    let internals = demand.keys.filter { customerByID[$0]!.isInternal }
                    let internalFixed = s.customers.filter { $0.isInternal && !$0.hold }.reduce(0) { $0 + fixed[$1.id, default: 0] }
                    let floorShare = s.policy.internalFloorShare
                    let floorLots = Int(Int128(lots) * Int128(floorShare.units) / Int128(floorShare.denominator))
                    let g = min(internals.reduce(0) { $0 + demand[$1]! }, max(0, floorLots - internalFixed))
                    let floorPart = lotRule(g, internals, cap: demand, start: holding)
                    var entitlement: [String: Int] = [:]
                    for (c, d) in demand {
                        let min = customerByID[c]!.minimumPerPeriod[sku].map { $0 / lot } ?? 0
                        entitlement[c] = Swift.min(d, max(0, min - fixed[c, default: 0]) + floorPart[c, default: 0])
                    }
                    let guaranteedTotal = min(entitlement.values.reduce(0, +), lots - fixedTotal)
                    let guaranteed = lotRule(guaranteedTotal, Array(demand.keys), cap: entitlement, start: holding)
                    var given = guaranteed
                    for (c, n) in guaranteed { holding[c, default: 0] += n }
                    // Step 5: tiers.
                    for tier in Set(s.customers.map(\.tier)).sorted() {
                        let free = lots - fixedTotal - given.values.reduce(0, +)
                        let members = demand.keys.filter { customerByID[$0]!.tier == tier }
                        var room: [String: Int] = [:]
                        for c in members { room[c] = demand[c]! - given[c, default: 0] }
                        for (c, n) in lotRule(free, members, cap: room, start: holding) {
                            given[c, default: 0] += n
                            holding[c, default: 0] += n
                        }
                    }
                    // Step 6: lines.
                    var asked: [String: Int] = [:]
                    for c in s.customers { asked[c.id] = lines.filter { $0.customer == c.id && $0.requestedPeriod <= week }.reduce(0) { $0 + open[$1.id]! } }
                    for (c, n) in given {
                        var left = n
                        for l in eligible(customerByID[c]!) where left > 0 {
                            let take = min(left, open[l.id]!)
                            open[l.id]! -= take
                            left -= take
                            rows[l.id, default: 0] += take * lot
                        }
                    }
                    for (id, q) in rows where q > 0 {
                        result.allocations.append(.init(order: id, sku: sku, period: week, quantity: q))
                    }
                    for c in s.customers {
                        let f = fixed[c.id, default: 0]
                        guard asked[c.id]! > 0 || f > 0 else { continue }
                        let demandChips: Int = asked[c.id]! * lot
                        let guaranteedChips: Int = guaranteed[c.id, default: 0] * lot
                        let allocatedChips: Int = (f + given[c.id, default: 0]) * lot
                        let row = AllocationResult.CustomerWeek(customer: c.id, sku: sku, period: week, demand: demandChips, fixed: f * lot,
                                                                guaranteed: guaranteedChips, allocated: allocatedChips,
                                                                tier: c.tier, weight: c.weight, held: c.hold)
                        result.customers.append(row)
                    }
                    // Step 7: carry.
                    let allocated = (fixedTotal + given.values.reduce(0, +)) * lot
                    carry = available - allocated
                    result.periods.append(.init(sku: sku, period: week, available: available, allocated: allocated, carry: carry))
                    week = week.next
                }
            }
            for l in lines where open[l.id]! > 0 {
                result.backlog.append(.init(order: l.id, customer: l.customer, sku: sku, quantity: open[l.id]! * lot,
                                            held: customerByID[l.customer]!.hold))
            }
            result.unallocated.append(.init(sku: sku, quantity: carry))
        }
        result.allocations.sort { a, b in
            if a.sku != b.sku { return bytesLess(a.sku, b.sku) }
            if a.period != b.period { return a.period < b.period }
            return bytesLess(a.order, b.order)
        }
        result.released.sort { a, b in
            if a.sku != b.sku { return bytesLess(a.sku, b.sku) }
            if a.period != b.period { return a.period < b.period }
            return bytesLess(a.order, b.order)
        }
        result.customers.sort { a, b in
            if a.sku != b.sku { return bytesLess(a.sku, b.sku) }
            if a.period != b.period { return a.period < b.period }
            return bytesLess(a.customer, b.customer)
        }
        result.backlog.sort { $0.sku == $1.sku ? bytesLess($0.order, $1.order) : bytesLess($0.sku, $1.sku) }
        return result
    }
}

func bytesLess(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

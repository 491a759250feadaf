import Allocation
import Values

/// Small random scenarios that exercise every rule: floor, tiers, weights
/// (non-integer too), caps, minimums, fixed lots, holds, history, all three
/// methods, carry and on-hand stock, several SKUs and weeks, supply gaps,
/// placed-at ties, lines requested before and after the horizon, and weeks
/// whose fixed lots exceed their supply (released at step 2).
enum RandomScenario {
    static let weights = ["0.5", "1", "1", "1.5", "2", "3", "0.25", "1.125"].map { ExactDecimal($0)! }
    static let shares = ["0", "0.3", "0.5", "0.6", "1", "0.75"].map { ExactDecimal($0)! }

    static func make(seed: UInt64, large: Bool = false) -> Scenario {
        var r = SplitMix64(seed: seed)
        let start = Period(year: 2026, week: 50)!
        var s = Scenario(policy: Policy(method: Policy.Method.allCases[r.int(in: 0...2)],
                                        internalFloorShare: shares[r.int(in: 0...5)], historyPeriods: r.int(in: 0...6)))
        let skuCount = r.int(in: 1...2)
        for k in 0..<skuCount {
            s.products.append(Scenario.Product(sku: ["TRN3", "INF2"][k], lotSize: [1, 2, 4, 16][r.int(in: 0...3)],
                                      onHand: r.chance(40) ? r.int(in: 0...40) : 0))
        }
        let customerCount = r.int(in: 1...(large ? 8 : 6))
        for n in 0..<customerCount {
            var c = Scenario.Customer(id: ["aws", "b", "c-2", "dx", "eu", "f", "g9", "h"][n], isInternal: n == 0 || r.chance(15),
                             tier: r.int(in: 1...3), weight: weights[r.int(in: 0...7)], hold: r.chance(10))
            for p in s.products {
                if r.chance(25) { c.minimumPerPeriod[p.sku] = r.int(in: 0...6) * p.lotSize + r.int(in: 0...1) }
                if r.chance(25) { c.maximumPerPeriod[p.sku] = r.int(in: 0...10) * p.lotSize + r.int(in: 0...1) }
            }
            s.customers.append(c)
        }
        let weeks = r.int(in: 1...4)
        for p in s.products {
            for w in 0..<weeks where w == 0 || w == weeks - 1 || r.chance(80) {
                let lots = large ? r.int(in: 0...400) : r.int(in: 0...14)
                s.supply.append(SupplyRow(sku: p.sku, period: start.advanced(by: w), quantity: lots * p.lotSize + r.int(in: 0...(p.lotSize - 1))))
            }
        }
        let lineCount = r.int(in: 0...(large ? 30 : 12))
        let times = (0..<4).map { Timestamp(seconds: 1_790_000_000 + Int64($0) * 3600) }
        for n in 0..<lineCount {
            let p = s.products[r.int(in: 0...(skuCount - 1))]
            let lots = large ? r.int(in: 0...120) : r.int(in: 0...6)
            s.orders.append(Scenario.Line(id: "L-\(n * 7 % 13)-\(n)", customer: s.customers[r.int(in: 0...(customerCount - 1))].id,
                                      sku: p.sku, quantity: lots * p.lotSize,
                                      requestedPeriod: start.advanced(by: r.int(in: -1...weeks)), placedAt: times[r.int(in: 0...3)]))
        }
        // One scenario in three has a frozen plan its weeks cannot hold (supply cut after freezing).
        let overCommitted = r.chance(33)
        for o in s.orders where r.chance(overCommitted ? 60 : 15) {
            let p = s.products.first { $0.sku == o.sku }!
            let w = start.advanced(by: r.int(in: 0...(weeks - 1)))
            guard s.supply.contains(where: { $0.sku == o.sku }) else { continue }
            guard !s.fixed.contains(where: { $0.order == o.id && $0.period == w }) else { continue }
            let most = overCommitted ? (large ? 80 : 6) : 2
            s.fixed.append(FixedAllocation(order: o.id, period: w, quantity: r.int(in: 0...most) * p.lotSize))
        }
        for c in s.customers where r.chance(40) {
            let p = s.products[r.int(in: 0...(skuCount - 1))]
            s.history.append(HistoryRow(customer: c.id, sku: p.sku, period: start.advanced(by: -r.int(in: 1...8)), quantity: r.int(in: 0...60)))
        }
        return s
    }

    /// The same scenario with every list shuffled.
    static func shuffled(_ s: Scenario, seed: UInt64) -> Scenario {
        var r = SplitMix64(seed: seed)
        var t = s
        t.products.shuffle(using: &r)
        t.customers.shuffle(using: &r)
        t.supply.shuffle(using: &r)
        t.orders.shuffle(using: &r)
        t.fixed.shuffle(using: &r)
        t.history.shuffle(using: &r)
        return t
    }
}

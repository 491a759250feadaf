import Allocation
import Values

extension RandomScenario {
    /// Weights from the tiniest to the largest a scenario holds, with up to nine decimals.
    static let hugeWeights = ["999999999.999999999", "123456789.123456789", "0.000000001", "1000000", "12345.678912",
                              "999999.999999", "1.5", "3", "0.5"].map { ExactDecimal($0)! }

    /// A random scenario as `make` builds it (every rule exercised), with at
    /// most four customers, scaled up: every chip quantity times one factor of
    /// up to 2^60 / (the SKU's largest total), and weights up to 10^9 with nine
    /// decimals. In half of them the frozen lots are scaled by a second, larger
    /// factor and the weeks' supply grows by as much, so customers hold far
    /// more lots than the few still to be shared.
    static func huge(seed: UInt64) -> Scenario {
        var r = SplitMix64(seed: seed ^ 0x0123_4567_89AB_CDEF)
        var s = make(seed: seed, large: r.chance(50))
        // Four customers at most keep the reference's exact search quick.
        s.customers = Array(s.customers.prefix(4))
        let kept = Set(s.customers.map(\.id))
        s.orders.removeAll { !kept.contains($0.customer) }
        let lines = Set(s.orders.map(\.id))
        s.fixed.removeAll { !lines.contains($0.order) }
        s.history.removeAll { !kept.contains($0.customer) }
        for n in s.customers.indices { s.customers[n].weight = hugeWeights[r.int(in: 0...(hugeWeights.count - 1))] }

        var largest = 1
        let skuOf = Dictionary(uniqueKeysWithValues: s.orders.map { ($0.id, $0.sku) })
        for p in s.products {
            let stock = p.onHand + s.supply.filter { $0.sku == p.sku }.reduce(0) { $0 + $1.quantity }
            let ordered = s.orders.filter { $0.sku == p.sku }.reduce(0) { $0 + $1.quantity }
                + s.fixed.filter { skuOf[$0.order] == p.sku }.reduce(0) { $0 + $1.quantity }
            let shipped = s.history.filter { $0.sku == p.sku }.reduce(0) { $0 + $1.quantity }
            largest = max(largest, stock, ordered, shipped)
        }
        let most = (1 << 60) / largest
        func factor() -> Int {
            let power = r.int(in: 0...(Int.bitWidth - 1 - most.leadingZeroBitCount))
            return min(most, (1 << power) + r.int(in: 0...((1 << power) >> 1)))
        }
        let scale = factor()
        let frozenScale = r.chance(50) ? max(scale, factor()) : scale
        for n in s.products.indices { s.products[n].onHand *= scale }
        for n in s.supply.indices { s.supply[n].quantity *= scale }
        for n in s.orders.indices { s.orders[n].quantity *= scale }
        for n in s.history.indices { s.history[n].quantity *= scale }
        for n in s.customers.indices {
            s.customers[n].minimumPerPeriod = s.customers[n].minimumPerPeriod.mapValues { $0 * scale }
            s.customers[n].maximumPerPeriod = s.customers[n].maximumPerPeriod.mapValues { $0 * scale }
        }
        for n in s.fixed.indices {
            let extra = s.fixed[n].quantity * (frozenScale - scale)
            s.fixed[n].quantity *= frozenScale
            guard extra > 0 else { continue }
            let sku = skuOf[s.fixed[n].order]!
            if let row = s.supply.firstIndex(where: { $0.sku == sku && $0.period == s.fixed[n].period }) {
                s.supply[row].quantity += extra
            } else {
                s.supply.append(SupplyRow(sku: sku, period: s.fixed[n].period, quantity: extra))
            }
        }
        return s
    }
}

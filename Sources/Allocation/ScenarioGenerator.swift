import Values

/// Builds realistic scenarios, deterministic from the seed.
///
/// - One internal buyer (`internal-dc`, tier 1) places ~45% of the lines.
/// - Outside buyers `c0001`… are spread over tiers 1–3 (20/50/30%), with
///   weights from {0.5, 1, 1, 1, 1.5, 2, 2.5, 3}; ~5% have a contract
///   minimum, ~5% a cap, ~2% are on hold.
/// - SKUs cycle through lot sizes 16 (chip tray), 64 (board), 256 (server).
/// - Line quantities are 1–24 lots (small lines more common); requested weeks
///   are spread over the horizon; placed-at times are whole hours, so ties occur.
/// - Supply is about 1/1.5 of demand over the horizon, noisy per week, not
///   lot-aligned; some SKUs start with on-hand stock; a few fixed lots in the
///   first week; a little history; method `fair`, floor share 0.6.
public struct ScenarioGenerator: Sendable {
    public var lines: Int
    public var customers: Int
    public var skus: Int
    public var weeks: Int
    public var seed: UInt64
    /// First week of the horizon.
    public var firstWeek: Period

    public init(lines: Int, customers: Int, skus: Int, weeks: Int, seed: UInt64, firstWeek: Period = Period(year: 2026, week: 40)!) {
        precondition(lines >= 0 && customers >= 1 && skus >= 1 && weeks >= 1)
        self.lines = lines
        self.customers = customers
        self.skus = skus
        self.weeks = weeks
        self.seed = seed
        self.firstWeek = firstWeek
    }

    static let lotSizes = [16, 64, 256]
    static let baseNames = ["TRN3", "TRN3-BRD", "TRN3-SRV"]
    static let weights: [ExactDecimal] = ["0.5", "1", "1", "1", "1.5", "2", "2.5", "3"].map { ExactDecimal($0)! }

    static func pad(_ n: Int, _ width: Int) -> String {
        let t = String(n)
        return String(repeating: "0", count: max(0, width - t.count)) + t
    }

    /// The generated scenario.
    public func generate() -> Scenario {
        var rng = SplitMix64(seed: seed)
        var s = Scenario(policy: Policy(method: .fair, internalFloorShare: ExactDecimal("0.6")!, historyPeriods: 13))
        for k in 0..<skus {
            let name = k < 3 ? ScenarioGenerator.baseNames[k] : "SKU\(k + 1)"
            s.products.append(Scenario.Product(sku: name, lotSize: ScenarioGenerator.lotSizes[k % 3], onHand: 0))
        }
        s.customers.append(Scenario.Customer(id: "internal-dc", isInternal: true, tier: 1))
        let width = max(4, String(customers).count)
        for n in 1..<max(1, customers) {
            let roll = rng.int(in: 0...99)
            var c = Scenario.Customer(id: "c" + ScenarioGenerator.pad(n, width), tier: roll < 20 ? 1 : roll < 70 ? 2 : 3,
                             weight: ScenarioGenerator.weights[rng.int(in: 0...7)], hold: rng.chance(2))
            if rng.chance(5) {
                let p = s.products[rng.int(in: 0...(skus - 1))]
                c.minimumPerPeriod[p.sku] = p.lotSize * rng.int(in: 1...8)
            }
            if rng.chance(5) {
                let p = s.products[rng.int(in: 0...(skus - 1))]
                c.maximumPerPeriod[p.sku] = p.lotSize * rng.int(in: 2...30) + rng.int(in: 0...(p.lotSize - 1))
            }
            s.customers.append(c)
        }
        let lineWidth = max(7, String(lines).count)
        var demandLots = [Int](repeating: 0, count: skus)
        let baseSeconds: Int64 = 1_780_272_000  // 2026-06-01T00:00:00Z
        s.orders.reserveCapacity(lines)
        for n in 0..<lines {
            let k = rng.int(in: 0...(skus - 1))
            let customer = customers == 1 || rng.chance(45) ? 0 : rng.int(in: 1...(customers - 1))
            let lots = rng.chance(70) ? rng.int(in: 1...6) : rng.int(in: 7...24)
            demandLots[k] += lots
            let week = firstWeek.advanced(by: rng.int(in: 0...(weeks - 1)))
            let placed = baseSeconds + Int64(rng.int(in: 0...(24 * 7 * 20))) * 3600
            s.orders.append(Scenario.Line(id: "L-" + ScenarioGenerator.pad(n + 1, lineWidth), customer: s.customers[customer].id,
                                      sku: s.products[k].sku, quantity: lots * s.products[k].lotSize, requestedPeriod: week,
                                      placedAt: Timestamp(seconds: placed)))
        }
        for k in 0..<skus {
            let p = s.products[k]
            let perWeek = demandLots[k] * p.lotSize * 2 / (3 * weeks)
            if rng.chance(50) { s.products[k].onHand = perWeek / 2 + rng.int(in: 0...(p.lotSize - 1)) }
            for w in 0..<weeks {
                let q = perWeek * rng.int(in: 80...120) / 100 + rng.int(in: 0...(p.lotSize - 1))
                s.supply.append(SupplyRow(sku: p.sku, period: firstWeek.advanced(by: w), quantity: q))
            }
        }
        // A few frozen lots in the first week (well below its supply).
        var fixedPerSKU = [Int](repeating: 0, count: skus)
        for n in stride(from: 0, to: lines, by: 997) {
            let o = s.orders[n]
            let k = s.products.firstIndex { $0.sku == o.sku }!
            let lot = s.products[k].lotSize
            guard (fixedPerSKU[k] + 1) * lot * 10 <= s.supply[k * weeks].quantity else { continue }
            fixedPerSKU[k] += 1
            s.fixed.append(FixedAllocation(order: o.id, period: firstWeek, quantity: lot))
        }
        for c in s.customers where rng.chance(10) {
            let p = s.products[rng.int(in: 0...(skus - 1))]
            for back in 1...4 {
                s.history.append(HistoryRow(customer: c.id, sku: p.sku, period: firstWeek.advanced(by: -back * 3),
                                            quantity: p.lotSize * rng.int(in: 1...40)))
            }
        }
        return s
    }
}

import Allocation
import Testing
import Values

/// Quantities and weights far beyond 32 bits: the engine stays exact (it
/// agrees with the reference, whose fractions compare in 256 bits) up to
/// 2^62 chips per SKU, and refuses beyond that with one clear line.
struct LargeNumberTests {
    /// True when some SKU's priorities need more than 128 bits: the engine's wide comparisons decide it.
    static func needsWide(_ s: Scenario) -> Bool {
        func bits(_ v: Int) -> Int { Int.bitWidth - v.leadingZeroBitCount }
        let units = bits(Int(s.customers.map(\.weight.units).max() ?? 1))
        let den = bits(Int(s.customers.map(\.weight.denominator).max() ?? 1))
        return s.products.contains { p in
            let lots = s.orders.filter { $0.sku == p.sku }.reduce(0) { $0 + $1.quantity / p.lotSize }
                + s.fixed.filter { f in s.orders.contains { $0.id == f.order && $0.sku == p.sku } }.reduce(0) { $0 + $1.quantity / p.lotSize }
            let history = s.history.filter { $0.sku == p.sku }.reduce(0) { $0 + $1.quantity / p.lotSize }
            let multiplier = switch s.policy.method {
            case .fair: 1
            case .proportional: lots
            case .turnAndEarn: max(1, history)
            }
            return units + bits(multiplier) + den + bits(lots) + 1 > 128
        }
    }

    @Test("The engine gives exactly the reference result on random scenarios scaled to 2^60 chips per SKU, weights up to 10^9 with nine decimals")
    func hugeScenariosMatchReference() throws {
        var wide = 0, released = 0
        for seed in UInt64(0)..<400 {
            let s = RandomScenario.huge(seed: 7_000_000 + seed)
            let fast = try Allocator().allocate(s)
            let slow = try ReferenceAllocator().allocate(s)
            #expect(fast == slow, "seed \(7_000_000 + seed)")
            if fast != slow { return }
            if Self.needsWide(s) { wide += 1 }
            if !fast.released.isEmpty { released += 1 }
        }
        #expect(wide > 100, "scenarios needing 256-bit comparisons: \(wide)")
        #expect(released > 40, "scenarios with released lots: \(released)")
    }

    @Test("The reference hands out the same lots one at a time and by rank, for any weights")
    func referenceRuleAgreesWithItself() {
        var r = SplitMix64(seed: 11)
        let ids = ["a", "b", "c", "d", "e"]
        for round in 0..<200 {
            let members = Array(ids.prefix(r.int(in: 1...5)))
            var weight: [String: Fraction] = [:], tie: [String: Timestamp] = [:], cap: [String: Int] = [:], start: [String: Int] = [:]
            for m in members {
                let w = RandomScenario.hugeWeights[r.int(in: 0...(RandomScenario.hugeWeights.count - 1))]
                weight[m] = Fraction(w).times(r.chance(30) ? r.int(in: 1...(1 << 40)) : 1)
                tie[m] = Timestamp(seconds: Int64(r.int(in: 0...2)))
                cap[m] = r.int(in: 0...400)
                start[m] = r.chance(50) ? r.int(in: 0...(1 << 50)) : r.int(in: 0...5)
            }
            let rule = ReferenceLotRule(weight: weight, tie: tie)
            let total = r.int(in: 0...1_200)
            #expect(rule.oneAtATime(total, members, cap: cap, start: start) == rule.byRank(total, members, cap: cap, start: start),
                    "round \(round)")
        }
    }

    /// Customers whose frozen lots (2^46 to 2^59) are in proportion to their
    /// weights, so that they share the week's free lots (up to ten million)
    /// closely: counting lots in floating point is off by up to hundreds
    /// here, and the engine must still hand out exactly the reference's lots.
    @Test("Customers holding up to 2^59 frozen lots share the free lots exactly as the reference does")
    func hugeHoldingsShareExactly() throws {
        var r = SplitMix64(seed: 5)
        let week = Period(year: 2027, week: 10)!
        for round in 0..<150 {
            var s = Scenario(policy: Policy(method: Policy.Method.allCases[r.int(in: 0...2)]))
            s.products = [Scenario.Product(sku: "A", lotSize: 1)]
            let base = 1 << r.int(in: 46...57)
            var frozen = 0
            for c in 0..<r.int(in: 2...4) {
                let units = r.int(in: 2...6)
                s.customers.append(Scenario.Customer(id: "c\(c)", weight: ExactDecimal(units: Int64(units), scale: 1)))
                s.orders.append(Scenario.Line(id: "L\(c)", customer: "c\(c)", sku: "A", quantity: r.int(in: 1_000...10_000_000),
                                          requestedPeriod: week, placedAt: Timestamp(seconds: Int64(r.int(in: 0...1)))))
                s.orders.append(Scenario.Line(id: "F\(c)", customer: "c\(c)", sku: "A", quantity: 0, requestedPeriod: week,
                                          placedAt: Timestamp(seconds: 0)))
                let lots = base / 2 * units + r.int(in: 0...3_000)
                s.fixed.append(FixedAllocation(order: "F\(c)", period: week, quantity: lots))
                frozen += lots
            }
            s.supply = [SupplyRow(sku: "A", period: week, quantity: frozen + r.int(in: 100...10_000_000))]
            #expect(try Allocator().allocate(s) == ReferenceAllocator().allocate(s), "round \(round)")
        }
    }

    /// 35 lines of a billion chips of a lot-16 SKU (2.19 billion lots) and six
    /// of a lot-1 SKU, for customers of the largest and the most precise
    /// weights; demand exceeds supply in every week.
    static func billions(_ method: Policy.Method) -> Scenario {
        var s = Scenario(policy: Policy(method: method, internalFloorShare: ExactDecimal("0.654321")!, historyPeriods: 13))
        let week = Period(year: 2027, week: 10)!
        s.products = [Scenario.Product(sku: "ONE", lotSize: 1, onHand: 1_000_000_000), Scenario.Product(sku: "TRN3", lotSize: 16)]
        s.customers = [Scenario.Customer(id: "aws", isInternal: true, weight: ExactDecimal("1")!),
                       Scenario.Customer(id: "helios", weight: ExactDecimal("12345.678912")!, minimumPerPeriod: ["ONE": 1_000_000_000]),
                       Scenario.Customer(id: "tokyo", weight: ExactDecimal("999999.999999")!)]
        for w in 0..<3 {
            s.supply.append(SupplyRow(sku: "ONE", period: week.advanced(by: w), quantity: 1_000_000_000))
            s.supply.append(SupplyRow(sku: "TRN3", period: week.advanced(by: w), quantity: 1_000_000_000))
        }
        for (n, customer) in (Array(repeating: "tokyo", count: 15) + Array(repeating: "helios", count: 10) + Array(repeating: "aws", count: 10)).enumerated() {
            s.orders.append(Scenario.Line(id: "T-\(n)", customer: customer, sku: "TRN3", quantity: 1_000_000_000, requestedPeriod: week,
                                      placedAt: Timestamp(seconds: 1_790_000_000 + Int64(n))))
        }
        for (n, customer) in ["tokyo", "tokyo", "helios", "helios", "aws", "aws"].enumerated() {
            s.orders.append(Scenario.Line(id: "O-\(n)", customer: customer, sku: "ONE", quantity: 1_000_000_000, requestedPeriod: week,
                                      placedAt: Timestamp(seconds: 1_790_000_000)))
        }
        s.history = [HistoryRow(customer: "tokyo", sku: "ONE", period: week.advanced(by: -1), quantity: 1_000_000_000)]
        return s
    }

    @Test("Billions of lots per SKU are allocated by every method, every chip of every week, as the reference does",
          arguments: Policy.Method.allCases)
    func billionsOfLots(method: Policy.Method) throws {
        let s = Self.billions(method)
        let result = try Allocator().allocate(s)
        #expect(result == (try ReferenceAllocator().allocate(s)))
        for period in result.periods {
            let lot = period.sku == "TRN3" ? 16 : 1
            #expect(period.allocated == period.available / lot * lot, "\(period)")
        }
    }

    @Test("The table summary shows exact fill rates for customers with 2^60 chips")
    func tableOfHugeQuantities() throws {
        let s = oneWeek(supplyLots: 1 << 60, demands: [(id: "a", lots: 1 << 61, weight: "1"), (id: "b", lots: 3, weight: "0.000000001")])
        let table = try Allocator().allocate(s).tableSummary()
        // b's first lots outrank a's once a holds about half a billion of them.
        #expect(table.contains("a         2305843009213693952  1152921504606846973      50.0%"), "\(table)")
        #expect(table.contains("b                           3                    3     100.0%"), "\(table)")
    }

    @Test("A SKU whose totals pass 2^62 chips is refused with one line naming the record")
    func beyondTheLimitRefused() {
        var s = Self.billions(.fair)
        s.products[0].onHand = 1 << 62
        for n in s.supply.indices where s.supply[n].sku == "ONE" { s.supply[n].quantity = 0 }
        #expect(throws: Never.self) { try s.validate() }
        s.supply[0].quantity = 1
        #expect(throws: ScenarioError("supply[0]", .tooLarge(sku: "ONE", what: "on-hand stock plus supply"))) { try s.validate() }
        #expect(ScenarioError("supply[0]", .tooLarge(sku: "ONE", what: "on-hand stock plus supply")).description
                == "supply[0]: on-hand stock plus supply for SKU ONE exceeds 4611686018427387904 chips")
    }
}

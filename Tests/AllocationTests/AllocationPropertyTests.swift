import Allocation
import Testing
import Values

/// The spec's properties, checked on random scenarios.
struct AllocationPropertyTests {
    static let seeds = UInt64(0)..<600

    /// Every run (a third of the scenarios have weeks whose fixed lots exceed
    /// their supply; one in four is scaled up to 2^60 chips per SKU).
    static func runs() throws -> [(Scenario, AllocationResult)] {
        try seeds.map { seed in
            let s = seed % 4 == 1 ? RandomScenario.huge(seed: 50_000 + seed) : RandomScenario.make(seed: 50_000 + seed, large: seed % 4 == 0)
            return (s, try Allocator().allocate(s))
        }
    }

    static func lotSize(_ s: Scenario, _ sku: String) -> Int { s.products.first { $0.sku == sku }!.lotSize }

    /// `D_c` of the spec in chips: demand after the cap, net of fixed lots.
    static func cappedDemand(_ s: Scenario, _ row: AllocationResult.CustomerWeek) -> Int {
        let lot = lotSize(s, row.sku)
        guard !row.held else { return 0 }
        let customer = s.customers.first { $0.id == row.customer }!
        guard let cap = customer.maximumPerPeriod[row.sku] else { return row.demand }
        return min(row.demand, max(0, cap / lot * lot - row.fixed))
    }

    @Test("No week hands out more than its lots, no line gets more than its open plus fixed chips, and everything is whole lots")
    func capacityAndLimits() throws {
        for (s, r) in try Self.runs() {
            for p in r.periods {
                let lot = Self.lotSize(s, p.sku)
                #expect(p.allocated <= p.available / lot * lot)
                #expect(p.carry == p.available - p.allocated)
            }
            var perLine: [String: Int] = [:]
            for a in r.allocations {
                #expect(a.quantity > 0 && a.quantity % Self.lotSize(s, a.sku) == 0)
                perLine[a.order, default: 0] += a.quantity
            }
            var backlog: [String: Int] = [:]
            for b in r.backlog { backlog[b.order, default: 0] += b.quantity }
            for o in s.orders {
                let fixed = s.fixed.filter { $0.order == o.id }.reduce(0) { $0 + $1.quantity }
                #expect(perLine[o.id, default: 0] <= o.quantity + fixed)
                // Released chips return to the line: every chip is allocated or still open.
                #expect(perLine[o.id, default: 0] + backlog[o.id, default: 0] == o.quantity + fixed, "\(o.id)")
            }
        }
    }

    @Test("A week ends with a free lot only if no eligible uncapped demand is left")
    func workConserving() throws {
        for (s, r) in try Self.runs() {
            for p in r.periods where p.carry >= Self.lotSize(s, p.sku) {
                for c in r.customers where c.sku == p.sku && c.period == p.period {
                    #expect(c.allocated - c.fixed == Self.cappedDemand(s, c), "\(c)")
                }
            }
        }
    }

    @Test("Floor and contract minimums are met whenever demand and supply allow")
    func guaranteesMet() throws {
        for (s, r) in try Self.runs() {
            for p in r.periods {
                let lot = Self.lotSize(s, p.sku)
                let rows = r.customers.filter { $0.sku == p.sku && $0.period == p.period }
                let lots = p.available / lot
                let fixedLots = rows.reduce(0) { $0 + $1.fixed } / lot
                var minimum: [String: Int] = [:]
                var internalDemand = 0, internalFixed = 0
                for row in rows where !row.held {
                    let c = s.customers.first { $0.id == row.customer }!
                    let d = Self.cappedDemand(s, row) / lot
                    minimum[c.id] = min(d, max(0, (c.minimumPerPeriod[p.sku] ?? 0) / lot - row.fixed / lot))
                    if c.isInternal { internalDemand += d; internalFixed += row.fixed / lot }
                }
                let floorLots = min(internalDemand, max(0, s.policy.internalFloorShare.floorTimes(lots) - internalFixed))
                guard floorLots + minimum.values.reduce(0, +) <= lots - fixedLots else { continue }
                var internalGot = 0
                for row in rows where !row.held {
                    let got = (row.allocated - row.fixed) / lot
                    #expect(got >= minimum[row.customer]!)
                    if s.customers.first(where: { $0.id == row.customer })!.isInternal { internalGot += got }
                }
                #expect(internalGot >= floorLots)
            }
        }
    }

    @Test("A lower tier gets nothing while a higher tier has uncapped eligible demand left")
    func tierOrder() throws {
        for (s, r) in try Self.runs() {
            for p in r.periods {
                let rows = r.customers.filter { $0.sku == p.sku && $0.period == p.period && !$0.held }
                for low in rows where low.allocated - low.fixed - low.guaranteed > 0 {
                    for high in rows where high.tier < low.tier {
                        #expect(high.allocated - high.fixed == Self.cappedDemand(s, high), "\(high) vs \(low)")
                    }
                }
            }
        }
    }

    @Test("More supply in a week never lowers any customer's lots in that week, and earlier weeks stay the same")
    func resourceMonotone() throws {
        for seed in UInt64(0)..<500 {
            let s = RandomScenario.make(seed: 70_000 + seed, large: seed % 5 == 0)
            guard !s.supply.isEmpty else { continue }
            let before = try Allocator().allocate(s)
            var r = SplitMix64(seed: seed)
            var more = s
            let i = r.int(in: 0...(s.supply.count - 1))
            let lot = Self.lotSize(s, s.supply[i].sku)
            more.supply[i].quantity += lot * r.int(in: 1...5)
            let after = try Allocator().allocate(more)
            let week = s.supply[i].period, sku = s.supply[i].sku
            for b in before.customers where b.sku == sku && b.period <= week {
                let a = after.customers.first { $0.sku == sku && $0.period == b.period && $0.customer == b.customer }
                if b.period == week {
                    #expect((a?.allocated ?? 0) >= b.allocated, "seed \(seed): \(b)")
                } else {
                    #expect(a == b, "seed \(seed)")
                }
            }
        }
    }

    @Test("Under fair, raising a demand already above what the customer receives changes nobody's allocation")
    func noGainFromInflating() throws {
        var checked = 0
        for seed in UInt64(0)..<800 {
            var s = RandomScenario.make(seed: 90_000 + seed, large: seed % 3 == 0)
            s.policy.method = .fair
            // A single week: later weeks would see the extra backlog.
            guard let only = s.supply.map(\.period).min() else { continue }
            s.supply.removeAll { $0.period != only }
            s.fixed.removeAll { $0.period != only }
            let before = try Allocator().allocate(s)
            for row in before.customers where !row.held && row.allocated - row.fixed < row.demand {
                // The property needs unrationed guarantees (see docs: raising demand can raise a rationed guarantee).
                let lot = Self.lotSize(s, row.sku)
                let period = before.periods.first { $0.sku == row.sku }!
                let entitled = Self.entitlements(s, before, sku: row.sku)
                guard entitled <= period.available / lot - before.customers.filter({ $0.sku == row.sku }).reduce(0, { $0 + $1.fixed }) / lot else { continue }
                var inflated = s
                let line = Scenario.Line(id: "ZZ-inflated", customer: row.customer, sku: row.sku, quantity: 5 * lot,
                                     requestedPeriod: only, placedAt: Timestamp(seconds: 1_999_999_999))
                inflated.orders.append(line)
                let after = try Allocator().allocate(inflated)
                #expect(after.allocations == before.allocations, "seed \(seed)")
                checked += 1
                break
            }
        }
        #expect(checked > 50)
    }

    /// Sum of guarantee entitlements `g_c` (lots) in a single-week run.
    static func entitlements(_ s: Scenario, _ r: AllocationResult, sku: String) -> Int {
        let lot = lotSize(s, sku)
        let rows = r.customers.filter { $0.sku == sku && !$0.held }
        let period = r.periods.first { $0.sku == sku }!
        var total = 0, internalDemand = 0, internalFixed = 0
        for row in rows {
            let c = s.customers.first { $0.id == row.customer }!
            let d = cappedDemand(s, row) / lot
            let m = min(d, max(0, (c.minimumPerPeriod[sku] ?? 0) / lot - row.fixed / lot))
            total += c.isInternal ? d : m
            if c.isInternal { internalDemand += d; internalFixed += row.fixed / lot }
        }
        return max(total, min(internalDemand, max(0, s.policy.internalFloorShare.floorTimes(period.available / lot) - internalFixed)))
    }

    @Test("The result is byte-identical whatever the order of the input records")
    func orderIndependent() throws {
        for seed in UInt64(0)..<300 {
            let s = seed % 3 == 0 ? RandomScenario.huge(seed: 110_000 + seed) : RandomScenario.make(seed: 110_000 + seed)
            let a = try Allocator().allocate(s)
            let b = try Allocator().allocate(RandomScenario.shuffled(s, seed: seed))
            #expect(a.jsonBytes() == b.jsonBytes(), "seed \(seed)")
        }
    }
}

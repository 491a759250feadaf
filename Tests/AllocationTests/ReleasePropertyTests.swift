import Allocation
import Testing
import Values

/// Step 2's release, checked on random scenarios whose frozen plans often
/// exceed their weeks' supply.
struct ReleasePropertyTests {
    /// One SKU-week with fixed rows: lots, and per line its fixed and released lots.
    struct Week {
        var lots: Int
        var fixed: [String: Int] = [:]
        var released: [String: Int] = [:]
        var fixedTotal: Int { fixed.values.reduce(0, +) }
        var releasedTotal: Int { released.values.reduce(0, +) }
        func kept(_ line: String) -> Int { fixed[line, default: 0] - released[line, default: 0] }
    }

    struct Key: Hashable { var sku: String; var period: Period }

    static func runs() throws -> [(Scenario, AllocationResult, [Key: Week])] {
        try (UInt64(0)..<800).map { seed in
            let s = RandomScenario.make(seed: 130_000 + seed, large: seed % 4 == 0)
            let r = try Allocator().allocate(s)
            let lotSize = Dictionary(uniqueKeysWithValues: s.products.map { ($0.sku, $0.lotSize) })
            let skuOf = Dictionary(uniqueKeysWithValues: s.orders.map { ($0.id, $0.sku) })
            var weeks: [Key: Week] = [:]
            for p in r.periods { weeks[Key(sku: p.sku, period: p.period)] = Week(lots: p.available / lotSize[p.sku]!) }
            for f in s.fixed where f.quantity > 0 {
                let sku = skuOf[f.order]!
                weeks[Key(sku: sku, period: f.period)]!.fixed[f.order, default: 0] += f.quantity / lotSize[sku]!
            }
            for row in r.released { weeks[Key(sku: row.sku, period: row.period)]!.released[row.order, default: 0] += row.quantity / lotSize[row.sku]! }
            return (s, r, weeks)
        }
    }

    /// True when `a` is released before `b`: outside before internal, higher tier
    /// first, then latest requested week, latest placed-at, greatest line id.
    static func releasedBefore(_ s: Scenario, _ a: String, _ b: String) -> Bool {
        let la = s.orders.first { $0.id == a }!, lb = s.orders.first { $0.id == b }!
        let ca = s.customers.first { $0.id == la.customer }!, cb = s.customers.first { $0.id == lb.customer }!
        if ca.isInternal != cb.isInternal { return !ca.isInternal }
        if ca.tier != cb.tier { return ca.tier > cb.tier }
        if la.requestedPeriod != lb.requestedPeriod { return la.requestedPeriod > lb.requestedPeriod }
        if la.placedAt != lb.placedAt { return la.placedAt > lb.placedAt }
        return b.utf8.lexicographicallyPrecedes(a.utf8)
    }

    @Test("The release is the minimum needed: kept fixed lots are min(fixed, lots), and nothing is released in a week that can hold its fixed lots")
    func minimal() throws {
        var weeksWithRelease = 0
        for (s, r, weeks) in try Self.runs() {
            for (key, week) in weeks {
                #expect(week.releasedTotal == max(0, week.fixedTotal - week.lots), "\(key)")
                #expect(week.fixedTotal - week.releasedTotal == min(week.fixedTotal, week.lots), "\(key)")
                for (line, lots) in week.released { #expect(lots > 0 && lots <= week.fixed[line, default: 0], "\(key) \(line)") }
                guard week.releasedTotal > 0 else { continue }
                weeksWithRelease += 1
                // A week that released hands out nothing else: every line holds exactly its kept fixed lots.
                let lot = s.products.first { $0.sku == key.sku }!.lotSize
                for a in r.allocations where a.sku == key.sku && a.period == key.period {
                    #expect(a.quantity == week.kept(a.order) * lot, "\(key) \(a.order)")
                }
                #expect(r.periods.first { $0.sku == key.sku && $0.period == key.period }!.allocated == week.lots * lot)
            }
            for row in r.released {
                #expect(row.quantity % s.products.first { $0.sku == row.sku }!.lotSize == 0)
            }
            #expect(r.released == r.released.sorted { a, b in
                if a.sku != b.sku { return a.sku.utf8.lexicographicallyPrecedes(b.sku.utf8) }
                if a.period != b.period { return a.period < b.period }
                return a.order.utf8.lexicographicallyPrecedes(b.order.utf8)
            })
        }
        #expect(weeksWithRelease > 100, "weeks with a release: \(weeksWithRelease)")
    }

    @Test("Released lots follow the stated order: no released lot belongs to a line that ranks after a line that kept lots, and one line goes entirely before the next")
    func inOrder() throws {
        for (s, _, weeks) in try Self.runs() {
            for (key, week) in weeks where week.releasedTotal > 0 {
                let kept = week.fixed.keys.filter { week.kept($0) > 0 }
                for released in week.released.keys {
                    for keeper in kept where keeper != released {
                        #expect(Self.releasedBefore(s, released, keeper), "\(key): \(released) released, \(keeper) kept")
                    }
                }
                // At most one line is cut part way (the last one touched).
                let partial = week.released.keys.filter { week.kept($0) > 0 }
                #expect(partial.count <= 1, "\(key): \(partial)")
            }
        }
    }

    @Test("Released chips return to their line's open quantity and are allocated again when a later week has room")
    func releasedReturn() throws {
        var reallocated = 0
        for (s, r, weeks) in try Self.runs() {
            // A line that got more than its open chips plus its kept fixed chips got released chips back.
            for line in Set(r.released.map(\.order)) {
                let o = s.orders.first { $0.id == line }!
                let got = r.allocations.filter { $0.order == line }.reduce(0) { $0 + $1.quantity }
                let fixed = s.fixed.filter { $0.order == line }.reduce(0) { $0 + $1.quantity }
                let released = r.released.filter { $0.order == line }.reduce(0) { $0 + $1.quantity }
                if got > o.quantity + fixed - released { reallocated += 1 }
            }
            // Demand shown for a release week includes the released chips of eligible lines.
            for (key, week) in weeks where week.releasedTotal > 0 {
                for (line, lots) in week.released {
                    let o = s.orders.first { $0.id == line }!
                    guard o.requestedPeriod <= key.period else { continue }
                    let row = r.customers.first { $0.customer == o.customer && $0.sku == key.sku && $0.period == key.period }
                    let lot = s.products.first { $0.sku == key.sku }!.lotSize
                    #expect((row?.demand ?? 0) >= lots * lot, "\(key) \(line)")
                }
            }
        }
        #expect(reallocated > 20, "released lines allocated again later: \(reallocated)")
    }

    /// A generated world whose first two weeks were frozen for most lines (many of
    /// them wholly), then lost most of their supply.
    static func supplyCut(lines: Int, seed: UInt64) -> Scenario {
        var s = ScenarioGenerator(lines: lines, customers: 30, skus: 2, weeks: 5, seed: seed).generate()
        s.fixed = []
        let horizon = Dictionary(grouping: s.supply, by: \.sku).mapValues { $0.map(\.period).sorted() }
        let lotSize = Dictionary(uniqueKeysWithValues: s.products.map { ($0.sku, $0.lotSize) })
        for n in s.orders.indices where n % 5 != 0 {
            let lot = lotSize[s.orders[n].sku]!, weeks = horizon[s.orders[n].sku]!
            let lots = s.orders[n].quantity / lot
            let first = n % 3 == 0 ? lots : lots / 2
            s.fixed.append(FixedAllocation(order: s.orders[n].id, period: weeks[0], quantity: first * lot))
            if lots - first > 0 { s.fixed.append(FixedAllocation(order: s.orders[n].id, period: weeks[1], quantity: (lots - first) * lot)) }
            s.orders[n].quantity = 0
        }
        for i in s.supply.indices where s.supply[i].period <= horizon[s.supply[i].sku]![1] { s.supply[i].quantity /= 8 }
        for i in s.products.indices { s.products[i].onHand = 0 }
        return s
    }

    @Test("A supply cut under a large frozen plan releases lots line by line, conserves every chip, matches the reference and ignores input order")
    func massRelease() throws {
        let small = Self.supplyCut(lines: 300, seed: 3)
        let r = try Allocator().allocate(small)
        #expect(r.released.count > 50)
        #expect(r == (try ReferenceAllocator().allocate(small)))

        let large = Self.supplyCut(lines: 10_000, seed: 4)
        let big = try Allocator().allocate(large)
        #expect(big.released.count > 2_500)
        let fixed = large.fixed.reduce(0) { $0 + $1.quantity }, released = big.released.reduce(0) { $0 + $1.quantity }
        let allocated = big.allocations.reduce(0) { $0 + $1.quantity }, backlog = big.backlog.reduce(0) { $0 + $1.quantity }
        #expect(allocated + backlog == fixed + large.orders.reduce(0) { $0 + $1.quantity })
        #expect(released > 0 && released <= fixed)
        #expect(try Allocator().allocate(RandomScenario.shuffled(large, seed: 1)) == big)
    }
}

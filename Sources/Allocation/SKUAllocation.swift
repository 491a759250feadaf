/// Allocates one SKU over its horizon, week by week (steps 1–7 of the spec).
struct SKUAllocation {
    let model: EngineModel
    let product: Int
    let sku: String
    let lotSize: Int

    // Lines of this SKU in queue order: customer rank, requested week, placed-at, id.
    var line: [Int32] = []          // global line index
    var open: [Int] = []            // open lots
    var requested: [Int] = []       // requested week ordinal
    var placedSeconds: [Int64] = []
    var placedNanos: [Int32] = []
    // Per customer rank.
    var customers: [Int32] = []     // ranks with lines of this SKU, ascending
    var start: [Int], end: [Int], head: [Int], eligibleEnd: [Int], eligibleLots: [Int]
    var dequeHead: [Int], dequeTail: [Int]
    var deque: [Int32] = []
    var minimumLots: [Int], capLots: [Int], historyLots: [Int]
    /// Open plus fixed lots of the SKU: no customer holds more in a week.
    var totalLots = 0

    init(model: EngineModel, product: Int) {
        self.model = model
        self.product = product
        let s = model.scenario
        sku = s.products[product].sku
        lotSize = s.products[product].lotSize
        let c = model.customerIDs.count
        start = Array(repeating: 0, count: c); end = start; head = start; eligibleEnd = start; eligibleLots = start
        dequeHead = start; dequeTail = start
        minimumLots = start; capLots = Array(repeating: -1, count: c); historyLots = start
        let orders = s.orders
        let index = model.index
        let lineCustomer = index.lineCustomer, lineRank = index.lineRank
        var keyed = [QueueKey]()
        keyed.reserveCapacity(model.linesByProduct[product].count)
        let lotSize = self.lotSize
        orders.withUnsafeBufferPointer { o in
            for n in model.linesByProduct[product] {
                let i = Int(n)
                keyed.append(QueueKey(customer: lineCustomer[i], week: Int32(truncatingIfNeeded: o[i].requestedPeriod.ordinal),
                                      seconds: o[i].placedAt.seconds, nanos: o[i].placedAt.nanoseconds, rank: lineRank[i], line: n, lots: o[i].quantity / lotSize))
            }
        }
        keyed.sort()
        let count = keyed.count
        line.reserveCapacity(count); open.reserveCapacity(count); requested.reserveCapacity(count)
        placedSeconds.reserveCapacity(count); placedNanos.reserveCapacity(count)
        deque = Array(repeating: 0, count: count)
        for (pos, k) in keyed.enumerated() {
            let cr = Int(k.customer)
            if customers.last != k.customer {
                customers.append(k.customer)
                start[cr] = pos; head[cr] = pos; eligibleEnd[cr] = pos; dequeHead[cr] = pos; dequeTail[cr] = pos
            }
            end[cr] = pos + 1
            line.append(k.line)
            open.append(k.lots)
            totalLots += k.lots
            requested.append(Int(k.week))
            placedSeconds.append(k.seconds)
            placedNanos.append(k.nanos)
        }
        for f in model.fixedByProduct[product] { totalLots += s.fixed[Int(f)].quantity / lotSize }
        for (rank, ci) in index.customerOrder.enumerated() {
            let cust = s.customers[ci]
            if let m = cust.minimumPerPeriod[sku] { minimumLots[rank] = m / lotSize }
            if let m = cust.maximumPerPeriod[sku] { capLots[rank] = m / lotSize }
        }
        if let h = index.horizon[product], !s.history.isEmpty {
            let window = (h.lowerBound - s.policy.historyPeriods)..<h.lowerBound
            var rankOf: [String: Int] = [:]
            for (rank, id) in model.customerIDs.enumerated() { rankOf[id] = rank }
            var chips = [Int](repeating: 0, count: c)
            for row in s.history where row.sku == sku && window.contains(row.period.ordinal) {
                chips[rankOf[row.customer]!] += row.quantity
            }
            for r in 0..<c { historyLots[r] = chips[r] / lotSize }
        }
    }

    struct QueueKey: Comparable {
        var customer: Int32, week: Int32, seconds: Int64, nanos: Int32, rank: Int32, line: Int32, lots: Int
        static func < (a: QueueKey, b: QueueKey) -> Bool {
            if a.customer != b.customer { return a.customer < b.customer }
            if a.week != b.week { return a.week < b.week }
            if a.seconds != b.seconds { return a.seconds < b.seconds }
            if a.nanos != b.nanos { return a.nanos < b.nanos }
            return a.rank < b.rank
        }
    }

    /// Makes lines requested by `week` eligible and drops filled ones from the tie-key window.
    mutating func advance(to week: Int) {
        for cr32 in customers {
            let c = Int(cr32)
            var e = eligibleEnd[c]
            while e < end[c], requested[e] <= week {
                defer { e += 1 }
                guard open[e] > 0 else { continue }
                eligibleLots[c] += open[e]
                // Sliding-window minimum of placed-at over [head, eligibleEnd).
                var t = dequeTail[c]
                while t > dequeHead[c], !placedBefore(Int(deque[t - 1]), e) { t -= 1 }
                deque[t] = Int32(e)
                dequeTail[c] = t + 1
            }
            eligibleEnd[c] = e
            while dequeHead[c] < dequeTail[c], Int(deque[dequeHead[c]]) < head[c] { dequeHead[c] += 1 }
        }
    }

    @inline(__always)
    func placedBefore(_ a: Int, _ b: Int) -> Bool {
        (placedSeconds[a], placedNanos[a]) < (placedSeconds[b], placedNanos[b])
    }

    /// Gives `lots` of customer `c` to its eligible lines in queue order; calls `record(position, lots)`.
    mutating func fill(_ c: Int, lots: Int, record: (Int, Int) -> Void) {
        var left = lots
        var h = head[c]
        while left > 0 {
            let take = min(left, open[h])
            open[h] -= take
            left -= take
            if take > 0 { record(h, take) }
            if open[h] == 0 { h += 1 }
        }
        head[c] = h
        eligibleLots[c] -= lots
    }
}

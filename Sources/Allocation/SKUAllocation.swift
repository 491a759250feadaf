/// Allocates one SKU over its horizon, week by week: the procedure of
/// docs/allocation.md, steps 1 to 7 (`SKUAllocation+Run.swift`).
struct SKUAllocation {
    /// A fixed allocation of one week: the line's queue position and its lots.
    typealias FixedLots = (position: Int, lots: Int)

    let model: EngineModel
    let product: Int
    let sku: String
    let lotSize: Int

    // The SKU's lines in queue order (customer rank, requested week,
    // placed-at, line id); a line's queue position indexes these.
    /// The line's index in `scenario.orders`.
    var queueLine: [Int32] = []
    /// Open lots still to allocate.
    var openLots: [Int] = []
    /// The requested week's ordinal.
    var requestedWeek: [Int] = []
    /// When the order was placed (seconds and nanoseconds, compared as a pair).
    var placedSeconds: [Int64] = []
    var placedNanos: [Int32] = []

    // Per customer rank: its stretch of the queue and where it stands in it.
    /// Ranks with lines of this SKU, ascending.
    var customers: [Int32] = []
    /// The customer's lines are the queue positions `queueStart..<queueEnd`.
    var queueStart: [Int], queueEnd: [Int]
    /// The customer's first line with open lots (the lines before it are filled).
    var queueHead: [Int]
    /// The end of its eligible lines (requested by the current week).
    var eligibleEnd: [Int]
    /// Open lots of its eligible lines.
    var eligibleLots: [Int]
    /// Its tie key window: queue positions in `tieWindow[tieWindowHead..<tieWindowTail]`
    /// whose placed-at rise, the first being the oldest eligible open line
    /// (a sliding minimum over `queueHead..<eligibleEnd`).
    var tieWindowHead: [Int], tieWindowTail: [Int]
    var tieWindow: [Int32] = []
    /// Contract minimum and cap per week in whole lots (cap -1: none).
    var minimumLots: [Int], capLots: [Int]
    /// Lots shipped to the customer in the history window (turn-and-earn).
    var historyLots: [Int]
    /// Open plus fixed lots of the SKU: no customer holds more in a week.
    var totalLots = 0

    init(model: EngineModel, product: Int) {
        self.model = model
        self.product = product
        sku = model.scenario.products[product].sku
        lotSize = model.scenario.products[product].lotSize
        let customerCount = model.customerIDs.count
        queueStart = Array(repeating: 0, count: customerCount)
        queueEnd = queueStart
        queueHead = queueStart
        eligibleEnd = queueStart
        eligibleLots = queueStart
        tieWindowHead = queueStart
        tieWindowTail = queueStart
        minimumLots = queueStart
        capLots = Array(repeating: -1, count: customerCount)
        historyLots = queueStart
        buildQueue()
        for fixedRow in model.fixedByProduct[product] { totalLots += model.scenario.fixed[Int(fixedRow)].quantity / lotSize }
        readContractTerms()
        readHistory()
    }

    /// A line's place in the queue: customer rank, requested week, placed-at, line id.
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

    /// Sorts the SKU's lines into queue order and marks each customer's stretch.
    private mutating func buildQueue() {
        let lines = model.linesByProduct[product]
        let lineCustomer = model.index.lineCustomer, lineRank = model.index.lineRank
        let lotSize = self.lotSize
        var keys = [QueueKey]()
        keys.reserveCapacity(lines.count)
        model.scenario.orders.withUnsafeBufferPointer { orders in
            for line in lines {
                let order = orders[Int(line)]
                keys.append(QueueKey(customer: lineCustomer[Int(line)], week: Int32(truncatingIfNeeded: order.requestedPeriod.ordinal),
                                     seconds: order.placedAt.seconds, nanos: order.placedAt.nanoseconds,
                                     rank: lineRank[Int(line)], line: line, lots: order.quantity / lotSize))
            }
        }
        keys.sort()
        queueLine.reserveCapacity(keys.count)
        openLots.reserveCapacity(keys.count)
        requestedWeek.reserveCapacity(keys.count)
        placedSeconds.reserveCapacity(keys.count)
        placedNanos.reserveCapacity(keys.count)
        tieWindow = Array(repeating: 0, count: keys.count)
        for (position, key) in keys.enumerated() {
            let rank = Int(key.customer)
            if customers.last != key.customer {
                customers.append(key.customer)
                queueStart[rank] = position
                queueHead[rank] = position
                eligibleEnd[rank] = position
                tieWindowHead[rank] = position
                tieWindowTail[rank] = position
            }
            queueEnd[rank] = position + 1
            queueLine.append(key.line)
            openLots.append(key.lots)
            totalLots += key.lots
            requestedWeek.append(Int(key.week))
            placedSeconds.append(key.seconds)
            placedNanos.append(key.nanos)
        }
    }

    /// Contract minimums and caps of this SKU, rounded down to whole lots.
    private mutating func readContractTerms() {
        for (rank, customerIndex) in model.index.customerOrder.enumerated() {
            let customer = model.scenario.customers[customerIndex]
            if let minimum = customer.minimumPerPeriod[sku] { minimumLots[rank] = minimum / lotSize }
            if let maximum = customer.maximumPerPeriod[sku] { capLots[rank] = maximum / lotSize }
        }
    }

    /// Lots shipped to each customer in the `historyPeriods` weeks before the
    /// horizon's first week (the turn-and-earn multiplier).
    private mutating func readHistory() {
        let scenario = model.scenario
        guard let horizon = model.index.horizon[product], !scenario.history.isEmpty else { return }
        let window = (horizon.lowerBound - scenario.policy.historyPeriods)..<horizon.lowerBound
        var rankOf: [String: Int] = [:]
        for (rank, id) in model.customerIDs.enumerated() { rankOf[id] = rank }
        var chips = [Int](repeating: 0, count: model.customerIDs.count)
        for row in scenario.history where row.sku == sku && window.contains(row.period.ordinal) {
            chips[rankOf[row.customer]!] += row.quantity
        }
        for rank in chips.indices { historyLots[rank] = chips[rank] / lotSize }
    }

    /// Step 3's queue work: makes the lines requested by `week` eligible and
    /// drops filled lines from the tie key window.
    mutating func advance(to week: Int) {
        for customer in customers {
            let rank = Int(customer)
            var position = eligibleEnd[rank]
            while position < queueEnd[rank], requestedWeek[position] <= week {
                defer { position += 1 }
                guard openLots[position] > 0 else { continue }
                eligibleLots[rank] += openLots[position]
                // Sliding-window minimum of placed-at over [queueHead, eligibleEnd).
                var tail = tieWindowTail[rank]
                while tail > tieWindowHead[rank], !placedBefore(Int(tieWindow[tail - 1]), position) { tail -= 1 }
                tieWindow[tail] = Int32(position)
                tieWindowTail[rank] = tail + 1
            }
            eligibleEnd[rank] = position
            while tieWindowHead[rank] < tieWindowTail[rank], Int(tieWindow[tieWindowHead[rank]]) < queueHead[rank] {
                tieWindowHead[rank] += 1
            }
        }
    }

    /// True when the line at queue position `a` was placed before the one at `b`.
    @inline(__always)
    func placedBefore(_ a: Int, _ b: Int) -> Bool {
        (placedSeconds[a], placedNanos[a]) < (placedSeconds[b], placedNanos[b])
    }

    /// Step 6 for one customer: gives `lots` to its eligible lines in queue
    /// order, appending a row (line rank, chips) per line served.
    mutating func fill(_ rank: Int, lots: Int, rows: inout [WeekLedger.Row]) {
        let lineRank = model.index.lineRank
        var left = lots
        var position = queueHead[rank]
        while left > 0 {
            let take = min(left, openLots[position])
            openLots[position] -= take
            left -= take
            if take > 0 { rows.append((lineRank[Int(queueLine[position])], take * lotSize)) }
            if openLots[position] == 0 { position += 1 }
        }
        queueHead[rank] = position
        eligibleLots[rank] -= lots
    }
}

import Values

/// Step 2's release: when a week's fixed lots exceed its lots, the excess goes
/// back to the lines' open quantity, taken from the fixed allocations of this
/// week line by line in release order. Runs only in such weeks.
extension SKUAllocation {
    /// Takes `excess` lots back from `fixed` (this week's fixed rows as (queue
    /// position, lots)), appends the released rows by line id, and reopens the
    /// lots on their lines (eligible again from this week on).
    mutating func release(_ excess: Int, of fixed: inout [(Int, Int)], period: Period, into result: inout AllocationResult) {
        let lineCustomer = model.index.lineCustomer, lineRank = model.index.lineRank
        let isInternal = model.isInternal, tier = model.tier
        var order = [ReleaseKey]()
        order.reserveCapacity(fixed.count)
        for (i, (position, _)) in fixed.enumerated() {
            let l = Int(line[position]), c = Int(lineCustomer[l])
            order.append(ReleaseKey(internal: isInternal[c], tier: tier[c], week: requested[position], seconds: placedSeconds[position],
                                    nanos: placedNanos[position], rank: lineRank[l], row: i))
        }
        order.sort()
        var left = excess
        var released: [(rank: Int32, lots: Int)] = []
        var requeued: [Int32] = []
        for key in order where left > 0 {
            let (position, lots) = fixed[key.row]
            let take = min(lots, left)
            guard take > 0 else { continue }
            fixed[key.row].1 -= take
            left -= take
            if reopen(position, lots: take) { requeued.append(lineCustomer[Int(line[position])]) }
            released.append((key.rank, take))
        }
        // Once per customer, however many of its lines came back.
        for c in Set(requeued) { rebuildTieWindow(Int(c)) }
        released.sort { $0.rank < $1.rank }
        let ids = model.index.idsByRank
        result.released.reserveCapacity(result.released.count + released.count)
        for row in released {
            result.released.append(.init(order: ids[Int(row.rank)], sku: sku, period: period, quantity: row.lots * lotSize))
        }
    }

    /// A fixed row's place in the release order; `<` means released earlier:
    /// outside customers before internal ones, then the higher tier number, then
    /// the line step 6 serves last (latest requested week, latest placed-at,
    /// greatest line id).
    struct ReleaseKey: Comparable {
        var `internal`: Bool, tier: Int, week: Int, seconds: Int64, nanos: Int32, rank: Int32
        /// The fixed row (index into the week's fixed rows).
        var row: Int

        static func < (a: ReleaseKey, b: ReleaseKey) -> Bool {
            if a.internal != b.internal { return !a.internal }
            if a.tier != b.tier { return a.tier > b.tier }
            if a.week != b.week { return a.week > b.week }
            if a.seconds != b.seconds { return a.seconds > b.seconds }
            if a.nanos != b.nanos { return a.nanos > b.nanos }
            return a.rank > b.rank
        }
    }

    /// Returns `lots` to the open quantity of the line at queue `position`. A line
    /// already eligible re-enters its customer's queue: the queue head moves back
    /// to it if it was filled. A line not yet eligible is picked up by
    /// `advance(to:)` as usual.
    ///
    /// - Returns: true when the customer's tie-key window must be rebuilt (an
    ///   eligible line that had nothing open came back).
    mutating func reopen(_ position: Int, lots: Int) -> Bool {
        let c = Int(model.index.lineCustomer[Int(line[position])])
        let wasOpen = open[position] > 0
        open[position] += lots
        guard position < eligibleEnd[c] else { return false }
        eligibleLots[c] += lots
        head[c] = min(head[c], position)
        return !wasOpen
    }

    /// Rebuilds customer `c`'s sliding minimum of placed-at over its eligible
    /// lines with open lots, `[head, eligibleEnd)` (see `advance(to:)`).
    mutating func rebuildTieWindow(_ c: Int) {
        var tail = start[c]
        for e in head[c]..<eligibleEnd[c] where open[e] > 0 {
            while tail > start[c], !placedBefore(Int(deque[tail - 1]), e) { tail -= 1 }
            deque[tail] = Int32(e)
            tail += 1
        }
        dequeHead[c] = start[c]
        dequeTail[c] = tail
    }
}

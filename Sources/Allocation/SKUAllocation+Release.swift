import Values

/// Step 2's release: when a week's fixed lots exceed its lots, the excess goes
/// back to the lines' open quantity, taken from the fixed allocations of this
/// week line by line in release order. Runs only in such weeks.
extension SKUAllocation {
    /// Takes `excess` lots back from `fixed` (this week's fixed rows as (queue
    /// position, lots)), appends the released rows by line id, and reopens the
    /// lots on their lines (eligible again from this week on).
    mutating func release(_ excess: Int, of fixed: inout [FixedLots], period: Period, into result: inout AllocationResult) {
        let lineCustomer = model.index.lineCustomer, lineRank = model.index.lineRank
        let isInternal = model.isInternal, tier = model.tier
        var order = [ReleaseKey]()
        order.reserveCapacity(fixed.count)
        for (row, (position, _)) in fixed.enumerated() {
            let line = Int(queueLine[position]), rank = Int(lineCustomer[line])
            order.append(ReleaseKey(internal: isInternal[rank], tier: tier[rank], week: requestedWeek[position],
                                    seconds: placedSeconds[position], nanos: placedNanos[position], rank: lineRank[line], row: row))
        }
        order.sort()
        var left = excess
        var released: [(rank: Int32, lots: Int)] = []
        var requeued: [Int32] = []
        for key in order where left > 0 {
            let (position, lots) = fixed[key.row]
            let take = min(lots, left)
            guard take > 0 else { continue }
            fixed[key.row].lots -= take
            left -= take
            if reopen(position, lots: take) { requeued.append(lineCustomer[Int(queueLine[position])]) }
            released.append((key.rank, take))
        }
        // Once per customer, however many of its lines came back.
        for rank in Set(requeued) { rebuildTieWindow(Int(rank)) }
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
        let rank = Int(model.index.lineCustomer[Int(queueLine[position])])
        let wasOpen = openLots[position] > 0
        openLots[position] += lots
        guard position < eligibleEnd[rank] else { return false }
        eligibleLots[rank] += lots
        queueHead[rank] = min(queueHead[rank], position)
        return !wasOpen
    }

    /// Rebuilds customer `rank`'s sliding minimum of placed-at over its eligible
    /// lines with open lots, `[queueHead, eligibleEnd)` (see `advance(to:)`).
    mutating func rebuildTieWindow(_ rank: Int) {
        var tail = queueStart[rank]
        for position in queueHead[rank]..<eligibleEnd[rank] where openLots[position] > 0 {
            while tail > queueStart[rank], !placedBefore(Int(tieWindow[tail - 1]), position) { tail -= 1 }
            tieWindow[tail] = Int32(position)
            tail += 1
        }
        tieWindowHead[rank] = queueStart[rank]
        tieWindowTail[rank] = tail
    }
}

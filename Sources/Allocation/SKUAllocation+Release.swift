/// Step 2's release: when a week's fixed lots exceed its lots, the excess goes
/// back to the lines' open quantity, taken from the fixed allocations of this
/// week line by line in release order. Runs only in such weeks.
extension SKUAllocation {
    /// Takes `excess` lots back from `fixed` (this week's fixed rows as (queue
    /// position, lots)), appends the released rows by line id, and reopens the
    /// lots on their lines (eligible again from this week on).
    mutating func release(_ excess: Int, of fixed: inout [(Int, Int)], period: Period, into result: inout AllocationResult) {
        let order = fixed.indices.sorted { releasedBefore(fixed[$0].0, fixed[$1].0) }
        var left = excess
        var released: [(rank: Int32, lots: Int)] = []
        for i in order where left > 0 {
            let (position, lots) = fixed[i]
            let take = min(lots, left)
            guard take > 0 else { continue }
            fixed[i].1 -= take
            left -= take
            reopen(position, lots: take)
            released.append((model.index.lineRank[Int(line[position])], take))
        }
        released.sort { $0.rank < $1.rank }
        let ids = model.index.idsByRank
        for row in released {
            result.released.append(.init(order: ids[Int(row.rank)], sku: sku, period: period, quantity: row.lots * lotSize))
        }
    }

    /// The release order of two lines (queue positions): outside customers before
    /// internal ones, then the higher tier number, then the line step 6 serves
    /// last (latest requested week, latest placed-at, greatest line id).
    func releasedBefore(_ a: Int, _ b: Int) -> Bool {
        let lineA = Int(line[a]), lineB = Int(line[b])
        let customerA = Int(model.index.lineCustomer[lineA]), customerB = Int(model.index.lineCustomer[lineB])
        if model.isInternal[customerA] != model.isInternal[customerB] { return !model.isInternal[customerA] }
        if model.tier[customerA] != model.tier[customerB] { return model.tier[customerA] > model.tier[customerB] }
        if requested[a] != requested[b] { return requested[a] > requested[b] }
        if placedSeconds[a] != placedSeconds[b] || placedNanos[a] != placedNanos[b] { return placedBefore(b, a) }
        return model.index.lineRank[lineA] > model.index.lineRank[lineB]
    }

    /// Returns `lots` to the open quantity of the line at queue `position`. A line
    /// already eligible re-enters its customer's queue: the queue head moves back
    /// to it if it was filled, and the customer's tie-key window is rebuilt.
    /// A line not yet eligible is picked up by `advance(to:)` as usual.
    mutating func reopen(_ position: Int, lots: Int) {
        let c = Int(model.index.lineCustomer[Int(line[position])])
        let wasOpen = open[position] > 0
        open[position] += lots
        guard position < eligibleEnd[c] else { return }
        eligibleLots[c] += lots
        guard !wasOpen || position < head[c] else { return }
        head[c] = min(head[c], position)
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

/// Positions of database ids in a list: a flat array when the ids are dense
/// (identity columns usually are), a dictionary otherwise.
struct IDIndex: Sendable {
    private var base = 0
    private var slots: [Int32] = []
    private var sparse: [Int: Int32] = [:]

    init() {}

    init(_ ids: [Int]) {
        guard let low = ids.min(), let high = ids.max() else { return }
        let (span, overflow) = high.subtractingReportingOverflow(low)
        if !overflow, span < 4 * ids.count + 1024 {
            base = low
            slots = [Int32](repeating: -1, count: span + 1)
            for (position, id) in ids.enumerated() { slots[id - low] = Int32(position) }
        } else {
            sparse.reserveCapacity(ids.count)
            for (position, id) in ids.enumerated() { sparse[id] = Int32(position) }
        }
    }

    subscript(id: Int) -> Int? {
        if slots.isEmpty { return sparse[id].map(Int.init) }
        let (slot, overflow) = id.subtractingReportingOverflow(base)
        guard !overflow, slot >= 0, slot < slots.count, slots[slot] >= 0 else { return nil }
        return Int(slots[slot])
    }
}

/// Makes one value per distinct byte string (a customer id, a SKU, a week, a
/// timestamp) and hands the same value out for every later occurrence, so a
/// million order lines naming two thousand customers make two thousand
/// strings, not a million.
///
/// Open addressing over a byte arena. At most `limit` values are kept; past
/// it a value is made each time (still correct, only slower).
struct JSONInterner<Value> {
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var arena: [UInt8] = []
    private var values: [Value] = []
    private let limit: Int

    init(limit: Int = 1 << 16) {
        self.limit = limit
        slots = Array(repeating: -1, count: 64)
    }

    @inline(__always)
    private static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h ^ (h >> 29)
    }

    /// The value for `key`, made by `make` the first time.
    mutating func value(for key: UnsafeRawBufferPointer, make: (UnsafeRawBufferPointer) -> Value) -> Value {
        let h = Self.hash(key)
        let mask = slots.count - 1
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(slots[s])
            if e < 0 { break }
            if hashes[e] == h, lengths[e] == key.count,
               arena.withUnsafeBytes({ UnsafeRawBufferPointer(rebasing: $0[starts[e]..<(starts[e] + key.count)]).elementsEqual(key) }) {
                return values[e]
            }
            s = (s + 1) & mask
        }
        let v = make(key)
        guard values.count < limit else { return v }
        slots[s] = Int32(values.count)
        hashes.append(h)
        starts.append(arena.count)
        lengths.append(key.count)
        arena.append(contentsOf: key)
        values.append(v)
        if values.count * 2 > slots.count { grow() }
        return v
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (e, h) in hashes.enumerated() {
            var s = Int(truncatingIfNeeded: h) & mask
            while slots[s] >= 0 { s = (s + 1) & mask }
            slots[s] = Int32(e)
        }
    }
}

/// Follows the orders of a file as its rows stream by, to learn whether
/// each order's rows are adjacent (one run of rows per order) with no line
/// number given twice: then the import can take each run's first row as
/// its order and skip the search for repeated lines, which are the two
/// costliest set-wise passes over the staged rows.
///
/// A run's line numbers are kept exactly (an order's few lines); the orders
/// seen before are kept in a fixed-size Bloom filter, so memory stays flat
/// whatever the file's size. The filter can mistake a new order for one seen
/// before (about once in 10^10 orders at a million lines), never the other
/// way round: `adjacent` is then false and the import takes its full,
/// exact path, which only costs time.
struct OrderRuns {
    /// Every order so far came as one run, with no line number twice.
    private(set) var adjacent = true
    private var current: OrderKey?
    private var lines: Set<Int> = []
    private var seen = KeyFilter()

    /// Notes a staged row; `true` when it starts a run (its order differs
    /// from the previous staged row's).
    mutating func add(customer: String, reference: String, line: Int) -> Bool {
        if let current, current.customer == customer, current.reference == reference {
            if !lines.insert(line).inserted { adjacent = false }
            return false
        }
        let key = OrderKey(customer: customer, reference: reference)
        if adjacent, !seen.insert(key) { adjacent = false }
        current = key
        lines.removeAll(keepingCapacity: true)
        lines.insert(line)
        return true
    }
}

/// A Bloom filter of order keys, blocked: 2^20 words of 64 bits (8 MiB);
/// a key sets six bits of one word, so it costs one memory access.
struct KeyFilter {
    private static let wordCount = 1 << 20
    private var words: [UInt64] = []

    /// Adds `key`; `false` when it may have been added before.
    mutating func insert(_ key: OrderKey) -> Bool {
        if words.isEmpty { words = Array(repeating: 0, count: Self.wordCount) }
        var hasher = Hasher()
        hasher.combine(key)
        let hash = UInt64(bitPattern: Int64(hasher.finalize()))
        // The low 20 bits choose the word, six 6-bit slices of the rest the bits in it.
        let index = Int(hash & UInt64(Self.wordCount - 1))
        var mask: UInt64 = 0
        for probe in 0..<6 { mask |= 1 << ((hash >> (20 + 6 * UInt64(probe))) & 63) }
        let isNew = words[index] & mask != mask
        words[index] |= mask
        return isNew
    }
}

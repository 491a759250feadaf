import Foundation

/// Follows the orders of a file as its rows stream by, to learn whether
/// each order's rows are adjacent (one run of rows per order) with no line
/// number given twice: then the import can take the direct way, or, staged,
/// take each run's first row as its order and skip the search for repeated
/// lines.
///
/// A run's line numbers are kept exactly (an order's few lines); the orders
/// seen before are kept in a fixed-size Bloom filter (`KeyFilter`), so memory
/// stays flat whatever the file's size. The filter can mistake a new order
/// for one seen before (rarely: see `KeyFilter`), never the other way round:
/// `adjacent` is then false and the import takes the staged way with all its
/// set-wise checks, which only costs time.
struct OrderRuns {
    /// Every order so far came as one run, with no line number twice.
    private(set) var adjacent = true
    private var current: OrderKey?
    private var lines: Set<Int> = []
    private var seen: KeyFilter?

    /// `remembering` keeps the orders seen, to learn whether they are
    /// adjacent; without it (a file already known to be so) only the runs'
    /// starts are followed.
    init(remembering: Bool = true) {
        seen = remembering ? KeyFilter() : nil
    }

    /// Notes a staged row; `true` when it starts a run (its order differs
    /// from the previous staged row's).
    mutating func add(customer: String, reference: String, line: Int) -> Bool {
        if let current, current.customer == customer, current.reference == reference {
            if !lines.insert(line).inserted { adjacent = false }
            return false
        }
        let key = OrderKey(customer: customer, reference: reference)
        if adjacent, seen?.insert(key) == false { adjacent = false }
        current = key
        lines.removeAll(keepingCapacity: true)
        lines.insert(line)
        return true
    }
}

/// A Bloom filter of order keys, blocked: 2^22 words of 64 bits (32 MiB of
/// address space, zero pages until a key lands on them); a key sets six bits
/// of one word, so it costs one memory access. Ten million lines (2.5 million
/// orders) leave about one bit in eighteen set, so a new order passes for a
/// seen one about once in 30 million orders; at a million lines, once in 10^13.
/// Should the memory not be had, every order counts as maybe seen.
struct KeyFilter {
    private static let wordBits = 22
    private var words: Words??

    /// Adds `key`; `false` when it may have been added before.
    mutating func insert(_ key: OrderKey) -> Bool {
        if words == nil { words = Words(count: 1 << Self.wordBits) }
        guard let words = words ?? nil else { return false }
        var hasher = Hasher()
        hasher.combine(key)
        let hash = UInt64(bitPattern: Int64(hasher.finalize()))
        // The low bits choose the word, six 6-bit slices of the rest the bits in it.
        let index = Int(hash & UInt64((1 << Self.wordBits) - 1))
        var mask: UInt64 = 0
        for probe in 0..<6 { mask |= 1 << ((hash >> (UInt64(Self.wordBits) + 6 * UInt64(probe))) & 63) }
        let isNew = words.base[index] & mask != mask
        words.base[index] |= mask
        return isNew
    }

    /// Zeroed memory from calloc: the system maps its pages only as keys land
    /// on them, so a small file costs little memory.
    private final class Words {
        let base: UnsafeMutablePointer<UInt64>

        init?(count: Int) {
            guard let memory = calloc(count, MemoryLayout<UInt64>.size) else { return nil }
            base = memory.assumingMemoryBound(to: UInt64.self)
        }

        deinit { free(base) }
    }
}

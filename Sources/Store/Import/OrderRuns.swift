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
    private let seen: KeyFilter?

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

/// A Bloom filter of order keys, blocked by cache line: 2^19 blocks of 512
/// bits (32 MiB of address space, zero pages until a key lands on them); a
/// key sets seven bits of one block, so it costs one memory access. Ten
/// million lines (2.5 million orders, about 5 per block) make a new order
/// pass for a seen one about once in 10^8 orders, a million lines once in
/// 10^13. Should the memory not be had, every order counts as maybe seen.
struct KeyFilter {
    private static let blockBits = 19
    /// `nil` when the memory could not be had.
    private let words = Words(count: 8 << blockBits)

    /// Adds `key`; `false` when it may have been added before.
    func insert(_ key: OrderKey) -> Bool {
        guard let words else { return false }
        var hasher = Hasher()
        hasher.combine(key)
        let hash = UInt64(bitPattern: Int64(hasher.finalize()))
        // The hash chooses the block; a second one, mixed from it (SplitMix64's
        // finalizer), chooses seven bits of its 512 with 9 bits each.
        let block = Int(hash & UInt64((1 << Self.blockBits) - 1)) * 8
        var bits = hash &+ 0x9E37_79B9_7F4A_7C15
        bits = (bits ^ (bits >> 30)) &* 0xBF58_476D_1CE4_E5B9
        bits = (bits ^ (bits >> 27)) &* 0x94D0_49BB_1331_11EB
        bits ^= bits >> 31
        var isNew = false
        for probe in 0..<7 {
            let bit = Int((bits >> (9 * UInt64(probe))) & 511)
            let mask: UInt64 = 1 << UInt64(bit & 63)
            if words.base[block + bit >> 6] & mask == 0 {
                isNew = true
                words.base[block + bit >> 6] |= mask
            }
        }
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

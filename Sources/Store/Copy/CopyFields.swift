import Values

/// Helpers for reading a million rows of COPY text without allocating per row.

/// One COPY text row split into a fixed number of tab-separated fields; the
/// field boundaries live in one reused array.
struct CopyFields {
    let count: Int
    private var starts: [Int]

    init(count: Int) {
        self.count = count
        starts = Array(repeating: 0, count: count + 1)
    }

    /// Finds the fields of `row` (its line end ignored); false unless it has exactly `count`.
    mutating func split(_ row: UnsafeRawBufferPointer) -> Bool {
        var end = row.count
        if end > 0, row[end - 1] == 10 { end -= 1 }
        starts[0] = 0
        var n = 1
        for i in 0..<end where row[i] == 9 {
            guard n < count else { return false }
            starts[n] = i + 1
            n += 1
        }
        guard n == count else { return false }
        starts[count] = end + 1
        return true
    }

    /// Field `i` of the row last split.
    func field(_ i: Int, of row: UnsafeRawBufferPointer) -> Slice<UnsafeRawBufferPointer> {
        row[starts[i]..<(starts[i + 1] - 1)]
    }

    /// A non-negative decimal integer of at most 18 digits, or nil.
    static func integer<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    /// A non-negative amount with exactly two decimals (`numeric(16,2)` text) in cents, or nil.
    static func cents(_ bytes: Slice<UnsafeRawBufferPointer>) -> Int? {
        let end = bytes.endIndex
        guard bytes.count >= 4, bytes[end - 3] == UInt8(ascii: "."),
              let whole = integer(bytes[bytes.startIndex..<(end - 3)]),
              let fraction = integer(bytes[(end - 2)..<end]) else { return nil }
        return whole * 100 + fraction
    }
}

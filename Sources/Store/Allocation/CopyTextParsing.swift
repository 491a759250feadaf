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

/// Gives each distinct short text (a customer id, a SKU, a currency) a small
/// integer code; texts of up to 15 bytes are looked up without allocating.
struct Interner {
    private(set) var values: [String] = []
    private var short: [UInt128: Int32] = [:]
    private var long: [String: Int32] = [:]

    mutating func code(_ bytes: Slice<UnsafeRawBufferPointer>) -> Int32 {
        if bytes.count <= 15 {
            var key = UInt128(bytes.count)
            for byte in bytes { key = key << 8 | UInt128(byte) }
            if let code = short[key] { return code }
            let code = Int32(values.count)
            values.append(String(decoding: bytes, as: UTF8.self))
            short[key] = code
            return code
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if let code = long[text] { return code }
        let code = Int32(values.count)
        values.append(text)
        long[text] = code
        return code
    }
}

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

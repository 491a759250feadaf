import Values

/// A small JSON writer with a fixed key order chosen by the caller, so the
/// output is byte-identical for equal values.
///
/// Bytes collect in a buffer the caller drains (`drain(to:)`, or
/// `flush(to:)` when the buffer is full), so a document of any size can be
/// written in bounded memory; `bytes` is the whole of what is held.
struct JSONWriter {
    /// Owns the buffer (a struct cannot free it itself).
    private final class Storage {
        var buffer: UnsafeMutableRawBufferPointer
        init(capacity: Int) { buffer = .allocate(byteCount: capacity, alignment: 16) }
        deinit { buffer.deallocate() }
    }

    /// How much a writer holds before `flush(to:)` hands it on.
    static let chunk = 1 << 16

    private let storage: Storage
    private var p: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0
    /// Per nesting level (bit `depth`): a value was written, so the next needs a comma.
    private var commas: UInt64 = 0
    private var depth = 0

    init(capacity: Int = JSONWriter.chunk + 1024) {
        storage = Storage(capacity: max(capacity, 64))
        p = storage.buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        self.capacity = storage.buffer.count
    }

    /// Everything written and not yet drained.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: p, count: count)) }

    /// Hands what is held to `sink` and empties the buffer.
    mutating func drain(to sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        if count > 0 { try sink(UnsafeRawBufferPointer(start: p, count: count)) }
        count = 0
    }

    /// Drains when the buffer holds at least a chunk.
    @inline(__always)
    mutating func flush(to sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        if count >= JSONWriter.chunk { try drain(to: sink) }
    }

    @inline(__always)
    private mutating func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private mutating func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: c, alignment: 16)
        grown.baseAddress!.copyMemory(from: p, byteCount: count)
        storage.buffer.deallocate()
        storage.buffer = grown
        p = grown.baseAddress!.assumingMemoryBound(to: UInt8.self)
        capacity = c
    }

    @inline(__always)
    private mutating func put(_ b: UInt8) {
        reserve(1)
        p[count] = b
        count += 1
    }

    @inline(__always)
    private mutating func put(_ text: UnsafeRawBufferPointer) {
        reserve(text.count)
        if let base = text.baseAddress { UnsafeMutableRawPointer(p + count).copyMemory(from: base, byteCount: text.count) }
        count += text.count
    }

    @inline(__always)
    private mutating func separator() {
        if commas & (1 << UInt64(depth)) != 0 { put(UInt8(ascii: ",")) }
        commas |= 1 << UInt64(depth)
    }

    /// A member name that needs no escaping (the format's own keys).
    mutating func key(_ k: StaticString) {
        separator()
        reserve(k.utf8CodeUnitCount + 3)
        p[count] = UInt8(ascii: "\"")
        count += 1
        put(UnsafeRawBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
        p[count] = UInt8(ascii: "\"")
        p[count + 1] = UInt8(ascii: ":")
        count += 2
        commas &= ~(1 << UInt64(depth))
    }

    /// Any member name (escaped as needed).
    mutating func key(_ k: String) {
        separator()
        appendString(k)
        put(UInt8(ascii: ":"))
        commas &= ~(1 << UInt64(depth))
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ b: UInt8) {
        separator()
        put(b)
        depth += 1
        precondition(depth < 64, "JSON nesting too deep to write")
        commas &= ~(1 << UInt64(depth))
    }

    private mutating func close(_ b: UInt8) {
        depth -= 1
        put(b)
        commas |= 1 << UInt64(depth)
    }

    mutating func string(_ s: String) { separator(); appendString(s) }
    mutating func bool(_ b: Bool) {
        separator()
        if b { put(UnsafeRawBufferPointer(start: ("true" as StaticString).utf8Start, count: 4)) } else {
            put(UnsafeRawBufferPointer(start: ("false" as StaticString).utf8Start, count: 5))
        }
    }
    mutating func raw(_ s: String) {
        separator()
        var s = s
        s.withUTF8 { put(UnsafeRawBufferPointer($0)) }
    }

    /// The line end after the document.
    mutating func newline() { put(0x0A) }

    mutating func int(_ v: Int) {
        separator()
        digits(v)
    }

    /// A whole number's digits, with `-` when negative.
    private mutating func digits(_ v: Int) {
        reserve(20)
        if v < 0 { p[count] = UInt8(ascii: "-"); count += 1 }
        var m = v.magnitude
        var n = 1
        var t = m
        while t >= 10 { t /= 10; n += 1 }
        var i = count + n - 1
        repeat {
            p[i] = UInt8(truncatingIfNeeded: 48 + m % 10)
            m /= 10
            i -= 1
        } while m > 0
        count += n
    }

    /// An ISO week as a string, `"2026-W49"` (as `Period.description`).
    mutating func period(_ w: Period) {
        separator()
        reserve(10)
        let y = w.year, k = w.week
        p[count] = UInt8(ascii: "\"")
        p[count + 1] = UInt8(truncatingIfNeeded: 48 + y / 1000 % 10)
        p[count + 2] = UInt8(truncatingIfNeeded: 48 + y / 100 % 10)
        p[count + 3] = UInt8(truncatingIfNeeded: 48 + y / 10 % 10)
        p[count + 4] = UInt8(truncatingIfNeeded: 48 + y % 10)
        p[count + 5] = UInt8(ascii: "-")
        p[count + 6] = UInt8(ascii: "W")
        p[count + 7] = UInt8(truncatingIfNeeded: 48 + k / 10 % 10)
        p[count + 8] = UInt8(truncatingIfNeeded: 48 + k % 10)
        p[count + 9] = UInt8(ascii: "\"")
        count += 10
    }

    /// An exact decimal as a number (as `ExactDecimal.description`).
    mutating func decimal(_ d: ExactDecimal) {
        separator()
        guard d.scale > 0 else { return digits(Int(d.units)) }
        if d.units < 0 { put(UInt8(ascii: "-")) }
        let den = UInt64(d.denominator)
        let magnitude = d.units.magnitude
        digits(Int(magnitude / den))
        put(UInt8(ascii: "."))
        var frac = magnitude % den
        reserve(d.scale)
        for i in stride(from: count + d.scale - 1, through: count, by: -1) {
            p[i] = UInt8(truncatingIfNeeded: 48 + frac % 10)
            frac /= 10
        }
        count += d.scale
    }

    mutating func field(_ k: StaticString, _ v: String) { key(k); string(v) }
    mutating func field(_ k: StaticString, _ v: Int) { key(k); int(v) }
    mutating func field(_ k: StaticString, _ v: Bool) { key(k); bool(v) }
    mutating func field(_ k: StaticString, _ v: Period) { key(k); period(v) }
    mutating func field(_ k: StaticString, _ v: ExactDecimal) { key(k); decimal(v) }

    private mutating func appendString(_ s: String) {
        var s = s
        s.withUTF8 { text in
            var plain = true
            for c in text where JSONString.needsEscape(c) { plain = false; break }
            reserve(text.count + 2)
            p[count] = UInt8(ascii: "\"")
            count += 1
            if plain {
                put(UnsafeRawBufferPointer(text))
            } else {
                for c in text { escaped(c) }
            }
            put(UInt8(ascii: "\""))
        }
    }

    private mutating func escaped(_ c: UInt8) {
        JSONString.escape(c) { put($0) }
    }

    var string: String { String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self) }
}

/// A strict streaming JSON reader (RFC 8259) over UTF-8 bytes pulled in
/// chunks from a source, so a document of any size is read in bounded
/// memory and no token becomes a `String` unless the caller asks for one.
///
/// Foundation's `JSONDecoder` reads numbers through `Double` on Linux, so
/// `0.6` would not stay exact; this reader keeps the number text instead.
/// The caller drives it value by value (`objectStart`, `memberKey`,
/// `objectNext`, `string`, `number`, `skipValue`); every syntax error is a
/// `ScenarioError.malformedJSON` with the byte offset in the document.
struct JSONReader {
    /// Fills the start of a buffer with the next bytes; 0 at the end.
    typealias Source = (UnsafeMutableRawBufferPointer) throws -> Int

    /// Owns the buffers (a struct cannot free them itself).
    private final class Storage {
        var buffer: UnsafeMutableRawBufferPointer
        var scratch: UnsafeMutableRawBufferPointer
        init(capacity: Int) {
            buffer = .allocate(byteCount: capacity, alignment: 16)
            scratch = .allocate(byteCount: 256, alignment: 16)
        }
        deinit {
            buffer.deallocate()
            scratch.deallocate()
        }
    }

    private let storage: Storage
    private var bytes: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Next byte to read, and the end of the bytes held.
    private var pos = 0, end = 0
    /// The document offset of `bytes[0]`.
    private var base = 0
    private var atEnd = false
    private var depth = 0
    private let source: Source

    /// The document offset of the next byte.
    var offset: Int { base + pos }

    init(chunkSize: Int = 1 << 20, source: @escaping Source) {
        storage = Storage(capacity: max(chunkSize, 64))
        bytes = storage.buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        capacity = storage.buffer.count
        self.source = source
    }

    func fail(_ reason: String) -> ScenarioError { fail(reason, at: pos) }

    private func fail(_ reason: String, at i: Int) -> ScenarioError {
        ScenarioError("scenario", .malformedJSON(offset: base + i, reason: reason))
    }

    // MARK: Buffer

    /// Reads more bytes, keeping those from `keep` on (moved to the buffer's
    /// start, so every index held drops by the returned shift). Sets `atEnd`
    /// when the source has no more.
    private mutating func refill(keeping keep: Int) throws -> Int {
        let shift = keep
        if shift > 0 {
            UnsafeMutableRawPointer(bytes).copyMemory(from: bytes + shift, byteCount: end - shift)
            end -= shift
            pos -= shift
            base += shift
        }
        if end == capacity {
            // One token longer than the buffer: grow it.
            let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * 2, alignment: 16)
            grown.baseAddress!.copyMemory(from: bytes, byteCount: end)
            storage.buffer.deallocate()
            storage.buffer = grown
            bytes = grown.baseAddress!.assumingMemoryBound(to: UInt8.self)
            capacity *= 2
        }
        while !atEnd && end < capacity {
            let got = try source(UnsafeMutableRawBufferPointer(start: bytes + end, count: capacity - end))
            if got <= 0 { atEnd = true } else { end += got; break }
        }
        return shift
    }

    /// True when a byte is available at `pos` (reading more if needed).
    @inline(__always)
    private mutating func available() throws -> Bool {
        if pos < end { return true }
        if atEnd { return false }
        _ = try refill(keeping: pos)
        return pos < end
    }

    /// The byte at `i`, reading more when `i` is at the end of the buffer
    /// (keeping bytes from `start` on; both indices are adjusted); `nil` at
    /// the end of the document.
    @inline(__always)
    private mutating func byte(_ i: inout Int, keeping start: inout Int) throws -> UInt8? {
        if i < end { return bytes[i] }
        if atEnd { return nil }
        let shift = try refill(keeping: start)
        i -= shift
        start -= shift
        return i < end ? bytes[i] : nil
    }

    // MARK: Structure

    /// Skips a byte order mark at the very start.
    mutating func skipByteOrderMark() throws {
        while end < 3, !atEnd { _ = try refill(keeping: 0) }
        if end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
    }

    mutating func skipSpace() throws {
        while true {
            while pos < end {
                let c = bytes[pos]
                guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
                pos += 1
            }
            if atEnd { return }
            _ = try refill(keeping: pos)
        }
    }

    /// The first byte of the next value (after white space is skipped by the
    /// caller), without consuming it.
    mutating func peekValue() throws -> UInt8 {
        guard try available() else { throw fail("unexpected end of input") }
        return bytes[pos]
    }

    /// True at the end of the document (only white space was left).
    mutating func atDocumentEnd() throws -> Bool {
        try skipSpace()
        return try !available()
    }

    /// Consumes `{` (at `pos`); false when the object is empty (its `}` consumed too).
    mutating func objectStart() throws -> Bool {
        try open()
        try skipSpace()
        if try available(), bytes[pos] == UInt8(ascii: "}") { pos += 1; depth -= 1; return false }
        return true
    }

    /// A member's name. The bytes stay valid until the next call; then
    /// `memberValue()` moves to the value.
    mutating func memberKey() throws -> UnsafeRawBufferPointer {
        try skipSpace()
        guard try available(), bytes[pos] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
        return try string()
    }

    /// Consumes the `:` after a member's name and the white space around it.
    mutating func memberValue() throws {
        try skipSpace()
        guard try available(), bytes[pos] == UInt8(ascii: ":") else { throw fail("expected ':'") }
        pos += 1
        try skipSpace()
    }

    /// After a member's value: true when another member follows.
    mutating func objectNext() throws -> Bool {
        try skipSpace()
        guard try available() else { throw fail("unexpected end of input") }
        switch bytes[pos] {
        case UInt8(ascii: ","): pos += 1; return true
        case UInt8(ascii: "}"): pos += 1; depth -= 1; return false
        default: throw fail("expected ',' or '}'")
        }
    }

    /// Consumes `[` (at `pos`); false when the array is empty. Before each
    /// item the caller skips white space.
    mutating func arrayStart() throws -> Bool {
        try open()
        try skipSpace()
        if try available(), bytes[pos] == UInt8(ascii: "]") { pos += 1; depth -= 1; return false }
        return true
    }

    /// After an item: true when another item follows.
    mutating func arrayNext() throws -> Bool {
        try skipSpace()
        guard try available() else { throw fail("unexpected end of input") }
        switch bytes[pos] {
        case UInt8(ascii: ","): pos += 1; try skipSpace(); return true
        case UInt8(ascii: "]"): pos += 1; depth -= 1; return false
        default: throw fail("expected ',' or ']'")
        }
    }

    private mutating func open() throws {
        depth += 1
        guard depth < 64 else { throw fail("nesting too deep") }
        pos += 1
    }

    /// Reads any value and discards it (still checking its syntax); returns
    /// its kind.
    @discardableResult
    mutating func skipValue() throws -> Kind {
        switch try peekValue() {
        case UInt8(ascii: "{"):
            if try objectStart() {
                repeat {
                    _ = try memberKey()
                    try memberValue()
                    try skipValue()
                } while try objectNext()
            }
            return .object
        case UInt8(ascii: "["):
            if try arrayStart() {
                repeat { try skipValue() } while try arrayNext()
            }
            return .array
        case UInt8(ascii: "\""): _ = try string(); return .string
        case UInt8(ascii: "-"), 48...57: _ = try number(); return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool(); return .bool
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: throw fail("unexpected character")
        }
    }

    /// The kinds of JSON value.
    enum Kind { case object, array, string, number, bool, null }

    // MARK: Scalars

    /// `true` or `false` (at `pos`).
    mutating func bool() throws -> Bool {
        if bytes[pos] == UInt8(ascii: "t") { try literal("true"); return true }
        try literal("false")
        return false
    }

    mutating func literal(_ word: StaticString) throws {
        let w = word.utf8Start
        let count = word.utf8CodeUnitCount
        var i = pos
        var start = pos
        for k in 0..<count {
            guard let c = try byte(&i, keeping: &start), c == w[k] else { throw fail("invalid literal", at: start) }
            i += 1
        }
        pos = i
    }

    /// A number (at `pos`): its value when it is a plain whole number of at
    /// most 18 digits (no sign, fraction or exponent), else its text.
    mutating func number() throws -> JSONNumber {
        var start = pos
        var i = pos
        var c = try byte(&i, keeping: &start)
        if c == UInt8(ascii: "-") { i += 1; c = try byte(&i, keeping: &start) }
        let intStart = i - start
        var value = 0
        var n = 0
        while let d = c, d >= 48, d <= 57 {
            if n < 18 { value = value &* 10 &+ Int(d &- 48) }
            n += 1
            i += 1
            c = try byte(&i, keeping: &start)
        }
        guard n > 0 else { throw fail("invalid number", at: i) }
        if n > 1, bytes[start + intStart] == 48 { throw fail("leading zero in number", at: i) }
        var plain = intStart == 0 && n <= 18
        if c == UInt8(ascii: ".") {
            plain = false
            i += 1
            c = try byte(&i, keeping: &start)
            var k = 0
            while let d = c, d >= 48, d <= 57 { k += 1; i += 1; c = try byte(&i, keeping: &start) }
            guard k > 0 else { throw fail("invalid number", at: i) }
        }
        if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            plain = false
            i += 1
            c = try byte(&i, keeping: &start)
            if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { i += 1; c = try byte(&i, keeping: &start) }
            var k = 0
            while let d = c, d >= 48, d <= 57 { k += 1; i += 1; c = try byte(&i, keeping: &start) }
            guard k > 0 else { throw fail("invalid number", at: i) }
        }
        pos = i
        if plain { return .whole(value) }
        return .text(String(decoding: UnsafeBufferPointer(start: bytes + start, count: i - start), as: UTF8.self))
    }

    /// A string (at its opening quote): its UTF-8 bytes, unescaped and
    /// checked, valid until the next call.
    mutating func string() throws -> UnsafeRawBufferPointer {
        pos += 1
        var start = pos
        var i = pos
        var high: UInt8 = 0
        // Fast path: no escapes.
        while true {
            while i < end {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
                high |= c
                i += 1
            }
            if i < end || atEnd { break }
            let shift = try refill(keeping: start)
            i -= shift
            start -= shift
        }
        if i < end, bytes[i] == UInt8(ascii: "\"") {
            let text = UnsafeRawBufferPointer(start: bytes + start, count: i - start)
            if high >= 0x80, !Self.isUTF8(text) { throw fail("invalid UTF-8 in string", at: i) }
            pos = i + 1
            return text
        }
        return try escapedString(start: start, at: i)
    }

    /// The rest of a string holding escapes (or a fault): unescaped into the scratch buffer.
    private mutating func escapedString(start s: Int, at position: Int) throws -> UnsafeRawBufferPointer {
        var start = s
        var i = position
        var count = 0
        func put(_ b: UInt8, _ r: inout JSONReader, _ count: inout Int) {
            if count == r.storage.scratch.count {
                let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: count * 2, alignment: 16)
                grown.copyMemory(from: UnsafeRawBufferPointer(r.storage.scratch))
                r.storage.scratch.deallocate()
                r.storage.scratch = grown
            }
            r.storage.scratch[count] = b
            count += 1
        }
        for k in start..<i { put(bytes[k], &self, &count) }
        while true {
            start = i
            guard let c = try byte(&i, keeping: &start) else { throw fail("unterminated string", at: i) }
            if c == UInt8(ascii: "\"") { i += 1; break }
            guard c >= 0x20 else { throw fail("control character in string", at: i) }
            if c != UInt8(ascii: "\\") { put(c, &self, &count); i += 1; continue }
            i += 1
            guard let e = try byte(&i, keeping: &start) else { throw fail("unterminated string", at: i) }
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): put(e, &self, &count)
            case UInt8(ascii: "b"): put(0x08, &self, &count)
            case UInt8(ascii: "f"): put(0x0C, &self, &count)
            case UInt8(ascii: "n"): put(0x0A, &self, &count)
            case UInt8(ascii: "r"): put(0x0D, &self, &count)
            case UInt8(ascii: "t"): put(0x09, &self, &count)
            case UInt8(ascii: "u"):
                var scalar = try hex4(&i, keeping: &start)
                if (0xD800...0xDBFF).contains(scalar) {
                    guard try byte(&i, keeping: &start) == UInt8(ascii: "\\") else { throw fail("unpaired surrogate", at: i) }
                    i += 1
                    guard try byte(&i, keeping: &start) == UInt8(ascii: "u") else { throw fail("unpaired surrogate", at: i - 1) }
                    i += 1
                    let low = try hex4(&i, keeping: &start)
                    guard (0xDC00...0xDFFF).contains(low) else { throw fail("unpaired surrogate", at: i) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw fail("unpaired surrogate", at: i)
                }
                guard let u = Unicode.Scalar(scalar) else { throw fail("bad \\u escape", at: i) }
                for b in String(Character(u)).utf8 { put(b, &self, &count) }
            default: throw fail("bad escape", at: i)
            }
        }
        pos = i
        let text = UnsafeRawBufferPointer(start: storage.scratch.baseAddress, count: count)
        guard Self.isUTF8(text) else { throw fail("invalid UTF-8 in string") }
        return text
    }

    private mutating func hex4(_ i: inout Int, keeping start: inout Int) throws -> UInt32 {
        // Four bytes must follow (checked first, as a whole-document reader does).
        for k in 0..<4 {
            var j = i + k
            guard try byte(&j, keeping: &start) != nil else { throw fail("bad \\u escape", at: j - k) }
            i = j - k
        }
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let c = try byte(&i, keeping: &start) else { throw fail("bad \\u escape", at: i) }
            let d: UInt32
            switch c {
            case 48...57: d = UInt32(c - 48)
            case 65...70: d = UInt32(c - 55)
            case 97...102: d = UInt32(c - 87)
            default: throw fail("bad \\u escape", at: i)
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    static func isUTF8(_ text: UnsafeRawBufferPointer) -> Bool {
        String(validating: text.assumingMemoryBound(to: UInt8.self), as: UTF8.self) != nil
    }
}

/// A JSON number as the reader hands it out: small whole numbers as values,
/// every other number as its exact text.
enum JSONNumber {
    /// A plain whole number of at most 18 digits (`0`, `16`, `250000`).
    case whole(Int)
    /// Any other number (`-16`, `0.6`, `1.6e1`, 19 digits or more), as written.
    case text(String)

    /// The number as written (a whole number's digits are its text: JSON has no leading zeros).
    var text: String {
        switch self {
        case let .whole(v): String(v)
        case let .text(t): t
        }
    }
}

/// How JSON writes text, in one place: the engine's streaming writer and the
/// CLI's JSON output escape strings with these rules (RFC 8259: the quote,
/// the backslash and the control characters; everything else as it is).
public enum JSONString {
    /// The bytes that stand for `byte` of UTF-8 text inside a JSON string:
    /// `byte` itself, or its escape (`\"`, `\\`, `\n`, `\r`, `\t`, `\u001b`).
    @inlinable
    public static func escape(_ byte: UInt8, _ put: (UInt8) -> Void) {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): put(92); put(byte)
        case 0x0A: put(92); put(UInt8(ascii: "n"))
        case 0x0D: put(92); put(UInt8(ascii: "r"))
        case 0x09: put(92); put(UInt8(ascii: "t"))
        case 0..<0x20:
            let hex: StaticString = "0123456789abcdef"
            put(92); put(UInt8(ascii: "u")); put(48); put(48)
            put(hex.utf8Start[Int(byte >> 4)]); put(hex.utf8Start[Int(byte & 15)])
        default: put(byte)
        }
    }

    /// Whether `byte` must be escaped.
    @inlinable
    public static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// `text` as a JSON string, quotes included.
    public static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        bytes.reserveCapacity(text.utf8.count + 2)
        for byte in text.utf8 { escape(byte) { bytes.append($0) } }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }
}

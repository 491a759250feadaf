/// What text a person may enter, in one place: every entry path (a command
/// line, an imported file) trims and checks text with these rules.
public enum TextRules {
    /// The text without surrounding spaces, line breaks and invisible
    /// characters (no-break and zero-width spaces, a byte order mark).
    public static func trimmed(_ value: String) -> String {
        // Fast path: a plain ASCII word needs no trimming (most imported fields).
        let utf8 = value.utf8
        if let first = utf8.first, let last = utf8.last,
           first > 0x20, first < 0x7F, last > 0x20, last < 0x7F {
            return value
        }
        let scalars = value.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isInvisible($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isInvisible($0) })!
        return String(scalars[start...end])
    }

    /// The text in lower case; ASCII text already in lower case is returned
    /// as it is (the common case of every identifier an import reads).
    public static func lowercased(_ value: String) -> String {
        value.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 65 && $0 <= 90) }) ? value : value.lowercased()
    }

    /// The text in upper case; ASCII text already in upper case is returned as it is.
    public static func uppercased(_ value: String) -> String {
        value.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 97 && $0 <= 122) }) ? value : value.uppercased()
    }

    /// Free text a person entered (a note, a reason): trimmed, not empty, at
    /// most `maxLength` characters, no control characters or overrides.
    public static func validText(_ text: String, record: @autoclosure () -> String, field: String, maxLength: Int) throws -> String {
        try Validate.text(text, record: record(), field: field, maxLength: maxLength)
    }

    /// Whether the text holds a character that must never be stored or
    /// echoed raw: a control character (which starts terminal escape
    /// sequences), a line or paragraph separator, or a bidirectional
    /// override that makes text display in another order than it reads.
    public static func containsUnsafe(_ text: String) -> Bool {
        // Fast path: printable ASCII only.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return false }
        return text.unicodeScalars.contains(where: isUnsafe)
    }

    /// The text safe to print to a terminal: each unsafe character shown
    /// as `\u{1B}` (text stored before these rules may hold one).
    public static func printable(_ text: String) -> String {
        guard containsUnsafe(text) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true  // C0 and C1 controls, DEL
        case 0x2028, 0x2029: true  // line and paragraph separators
        case 0x202A...0x202E, 0x2066...0x2069: true  // bidirectional embeddings, overrides, isolates
        default: false
        }
    }

    /// Spaces, line breaks and characters that show as nothing.
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF: true
        default: scalar.properties.isWhitespace
        }
    }
}

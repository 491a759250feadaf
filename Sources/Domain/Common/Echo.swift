/// How a value a person typed appears in a message: never longer than
/// `limit` characters, never a raw control character or escape sequence
/// (a message must not drive the terminal), and quoted whenever it could be
/// misread (empty, surrounding or inner spaces, invisible characters).
public enum Echo {
    /// The most characters of a value a message shows; longer values end in `…`.
    public static let limit = 80

    /// The value between double quotes: `"2026-W54"`, `" PO-1"`.
    public static func quoted(_ text: some StringProtocol) -> String {
        "\"" + escaped(text) + "\""
    }

    /// The value bare when it is a plain word (`TRN9`), else quoted
    /// (`"TRN3 "`, `""`, `"helios dc"`).
    public static func value(_ text: some StringProtocol) -> String {
        let plain = !text.isEmpty && text.utf8.count <= limit
            && text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" }
        return plain ? String(text) : quoted(text)
    }

    /// A file path as a message shows it: bare when plain (no spaces,
    /// quotes, backslashes, control or invisible characters), else quoted
    /// with those escaped (`"my orders.csv "`, `"\u{1B}[31mred"`). Never cut:
    /// a path cut short names another file.
    public static func path(_ text: some StringProtocol) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy {
            $0.value > 0x20 && $0 != "\"" && $0 != "\\" && !TextRules.isUnsafe($0) && !TextRules.isInvisible($0)
        }
        return plain ? String(text) : "\"" + escaped(text, limit: nil) + "\""
    }

    /// Control and invisible characters as `\u{1B}`, quotes and backslashes
    /// escaped, cut at `limit` characters (`nil`: never).
    static func escaped(_ text: some StringProtocol, limit: Int? = Echo.limit) -> String {
        var out = ""
        var count = 0
        for character in text {
            if count == limit {
                out += "…"
                break
            }
            count += 1
            for scalar in character.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                default:
                    if TextRules.isUnsafe(scalar) || (TextRules.isInvisible(scalar) && scalar != " ") {
                        out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        return out
    }
}

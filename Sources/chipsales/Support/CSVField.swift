/// The one way this CLI writes a CSV field: RFC 4180 quoting, and text that
/// a person entered made safe to open in a spreadsheet.
///
/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (or a tab
/// or carriage return before one) as a formula: a customer name such as
/// `=HYPERLINK(…)` in `order list --format csv` would run on the planner's
/// machine. Such text is written as OWASP's CSV-injection guidance says:
/// prefixed with a single quote and quoted (`"'=HYPERLINK(…)"`), so the
/// spreadsheet shows it as text. Numbers are never changed (`-32` stays a
/// number); the text is stored unchanged and JSON and table output show it
/// as it is.
enum CSVField {
    /// A field of text entered by a person (names, references, notes).
    static func text(_ text: String) -> String {
        guard let first = text.utf8.first, formulaStarts.contains(first) else { return plain(text) }
        return "\"'" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A field that is not a person's text (numbers, codes, headers): quoted
    /// only when it holds a comma, quote or line break.
    static func plain(_ text: String) -> String {
        // Bytes, not Characters: comparing graphemes made a 26,000-row report
        // spend a tenth of its time here.
        guard text.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `=`, `+`, `-`, `@`, tab, carriage return.
    private static let formulaStarts: Set<UInt8> = [61, 43, 45, 64, 9, 13]
}

import Foundation
import Values

/// A JSON document the CLI prints, with ordered object keys, so output is
/// stable and readable (output only: the engine reads scenario files itself).
/// Exact decimals (money, weights) are written as strings to keep every digit;
/// counts and percentages are JSON numbers.
indirect enum JSONOutput {
    case string(String)
    case int(Int)
    case decimal(Decimal)
    /// A number already in JSON number syntax (`61.5`), written unquoted.
    case number(String)
    case bool(Bool)
    case null
    case array([JSONOutput])
    case object([(String, JSONOutput)])

    func render(indent: Int = 0, pretty: Bool = true) -> String {
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let close = pretty ? String(repeating: "  ", count: indent) : ""
        let newline = pretty ? "\n" : ""
        switch self {
        case .string(let text): return JSONString.quoted(text)
        case .int(let value): return String(value)
        case .decimal(let value): return JSONString.quoted(value.description)
        case .number(let text): return text
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            if items.isEmpty { return "[]" }
            return "[" + newline + items.map { pad + $0.render(indent: indent + 1, pretty: pretty) }.joined(separator: "," + newline)
                + newline + close + "]"
        case .object(let fields):
            if fields.isEmpty { return "{}" }
            let separator = pretty ? ": " : ":"
            return "{" + newline
                + fields.map { pad + JSONString.quoted($0.0) + separator + $0.1.render(indent: indent + 1, pretty: pretty) }
                    .joined(separator: "," + newline)
                + newline + close + "}"
        }
    }

}

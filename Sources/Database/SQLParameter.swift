import Foundation

/// A Swift value that can be sent as a statement parameter.
///
/// Values travel in PostgreSQL's text format, apart from the SQL text, so
/// no value can change the meaning of a statement. `nil` is sent as NULL.
public protocol SQLParameter {
    /// The value in PostgreSQL's text input format.
    var sqlText: String { get }
}

extension String: SQLParameter {
    public var sqlText: String { self }
}

extension Substring: SQLParameter {
    public var sqlText: String { String(self) }
}

extension Int: SQLParameter {
    public var sqlText: String { String(self) }
}

extension Int64: SQLParameter {
    public var sqlText: String { String(self) }
}

extension Int32: SQLParameter {
    public var sqlText: String { String(self) }
}

extension Bool: SQLParameter {
    public var sqlText: String { self ? "true" : "false" }
}

extension Decimal: SQLParameter {
    /// Exact: Decimal's own description is a plain decimal numeral.
    public var sqlText: String { description }
}

extension UUID: SQLParameter {
    public var sqlText: String { uuidString.lowercased() }
}

extension Array: SQLParameter where Element == String {
    /// A `text[]` literal (`{"TRN3","TRN3-BOARD"}`): every element quoted, with
    /// its quotes and backslashes escaped, so no element can split into two,
    /// end the array or read as NULL.
    public var sqlText: String {
        var text = "{"
        for (n, element) in enumerated() {
            if n > 0 { text += "," }
            text += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { text += "\\" }
                text.unicodeScalars.append(character)
            }
            text += "\""
        }
        return text + "}"
    }
}

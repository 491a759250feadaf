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

extension Date: SQLParameter {
    /// A UTC timestamp with microseconds, for `timestamptz` columns.
    public var sqlText: String { PostgresTimestamp.format(self) }
}

import Foundation

/// A Swift type that can be read from a result column.
public protocol SQLDecodable {
    /// True when a column of this PostgreSQL type can hold a value of this Swift type.
    static func accepts(_ type: PostgresType) -> Bool
    /// Parses PostgreSQL's text output; `nil` when the text does not fit.
    init?(postgresText text: String, type: PostgresType)
}

extension String: SQLDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { type.isText || type == .uuid }
    public init?(postgresText text: String, type: PostgresType) { self = text }
}

extension Int: SQLDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { type.isInteger }
    public init?(postgresText text: String, type: PostgresType) { self.init(text) }
}

extension Int64: SQLDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { type.isInteger }
    public init?(postgresText text: String, type: PostgresType) { self.init(text) }
}

extension Int32: SQLDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { type == .int2 || type == .int4 }
    public init?(postgresText text: String, type: PostgresType) { self.init(text) }
}

extension Bool: SQLDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { type == .bool }
    public init?(postgresText text: String, type: PostgresType) {
        switch text {
        case "t": self = true
        case "f": self = false
        default: return nil
        }
    }
}

/// Made once: creating a Locale per value is slower than parsing it.
let posixLocale = Locale(identifier: "en_US_POSIX")

extension Decimal: SQLDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { type == .numeric || type.isInteger }

    /// Exact for up to 38 significant digits (Decimal's precision); a value
    /// with more digits, or NaN/Infinity, is refused rather than rounded.
    public init?(postgresText text: String, type: PostgresType) {
        let digits = text.utf8.drop { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "0") || $0 == UInt8(ascii: ".") }
            .filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        let significant = digits.reversed().drop { $0 == UInt8(ascii: "0") }.count
        guard significant <= 38, let value = Decimal(string: text, locale: posixLocale) else {
            return nil
        }
        self = value
    }
}

extension UUID: SQLDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { type == .uuid }
    public init?(postgresText text: String, type: PostgresType) { self.init(uuidString: text) }
}

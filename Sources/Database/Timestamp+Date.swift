import Foundation
import Values

/// Timestamps cross the database boundary as `Values.Timestamp`: its
/// PostgreSQL reader is the one parser of timestamp columns, and `Date`
/// converts through it.
extension Timestamp {
    /// The instant of `date`, to the microsecond (PostgreSQL's precision).
    public init(_ date: Date) {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        self.init(seconds: seconds, nanoseconds: Int32(micros - seconds * 1_000_000) * 1_000)
    }

    /// The instant as a Foundation date.
    public var date: Date {
        Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1_000_000_000)
    }
}

extension Timestamp: SQLDecodable {
    public static func accepts(_ type: PostgresType) -> Bool {
        // Text too: `now()::text` reads the database clock as written.
        type == .timestamptz || type == .timestamp || type == .date || type.isText
    }
    public init?(postgresText text: String, type: PostgresType) { self.init(postgres: text) }
}

extension Date: SQLDecodable {
    public static func accepts(_ type: PostgresType) -> Bool {
        type == .timestamptz || type == .timestamp || type == .date
    }
    public init?(postgresText text: String, type: PostgresType) {
        guard let instant = Timestamp(postgres: text) else { return nil }
        self = instant.date
    }
}

extension Date: SQLParameter {
    /// A UTC timestamp with microseconds, for `timestamptz` columns.
    public var sqlText: String { Timestamp(self).text }
}

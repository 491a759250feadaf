/// An ISO 8601 week, written `2026-W49`.
///
/// Weeks start on Monday; week 1 is the week holding the year's first Thursday,
/// so some years have 53 weeks (e.g. 2020, 2026).
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The ISO week-numbering year (1...9999).
    public let year: Int
    /// The week of that year (1...52 or 53).
    public let week: Int

    /// Creates a week, or `nil` when the week does not exist in that year.
    public init?(year: Int, week: Int) {
        guard (1...9999).contains(year), week >= 1, week <= Period.weeks(inYear: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// Parses the strict form `YYYY-Www` (four-digit year, two-digit week).
    public init?(_ text: String) {
        // Read in place: an import parses a week on every row.
        let parsed = text.utf8.withContiguousStorageIfAvailable { Period.parse($0) } ?? Period.parse(Array(text.utf8))
        guard let parsed else { return nil }
        self = parsed
    }

    private static func parse(_ b: some RandomAccessCollection<UInt8>) -> Period? {
        guard b.count == 8 else { return nil }
        var year = 0, week = 0
        for (offset, byte) in b.enumerated() {
            switch offset {
            case 4: guard byte == UInt8(ascii: "-") else { return nil }
            case 5: guard byte == UInt8(ascii: "W") else { return nil }
            default:
                guard byte >= 48, byte <= 57 else { return nil }
                if offset < 4 { year = year * 10 + Int(byte - 48) } else { week = week * 10 + Int(byte - 48) }
            }
        }
        return Period(year: year, week: week)
    }

    /// The number of ISO weeks (52 or 53) in a week-numbering year.
    public static func weeks(inYear year: Int) -> Int {
        firstOrdinal(of: year + 1) - firstOrdinal(of: year)
    }

    public var description: String {
        guard (0...9999).contains(year), (0...99).contains(week) else {
            let y = String(year)
            return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-W" + (week < 10 ? "0" : "") + String(week)
        }
        // Eight ASCII bytes written in place: exports and imports write a week on every row.
        return String(unsafeUninitializedCapacity: 8) { bytes in
            bytes[0] = UInt8(48 + year / 1000)
            bytes[1] = UInt8(48 + year / 100 % 10)
            bytes[2] = UInt8(48 + year / 10 % 10)
            bytes[3] = UInt8(48 + year % 10)
            bytes[4] = UInt8(ascii: "-")
            bytes[5] = UInt8(ascii: "W")
            bytes[6] = UInt8(48 + week / 10)
            bytes[7] = UInt8(48 + week % 10)
            return 8
        }
    }

    /// The week after this one.
    public var next: Period { advanced(by: 1) }

    /// The week `n` weeks later (earlier when negative).
    public func advanced(by n: Int) -> Period { Period(ordinal: ordinal + n) }

    /// The week `count` weeks later (earlier when negative); the same as `advanced(by:)`.
    public func adding(_ count: Int) -> Period { advanced(by: count) }

    /// The ISO week (UTC) that `instant` falls in.
    public init(containing instant: Timestamp) {
        let days = Int(instant.seconds >= 0 ? instant.seconds / 86_400 : (instant.seconds - 86_399) / 86_400)
        // Day 0 (1970-01-01) is a Thursday; its week (ordinal 0) starts three days earlier.
        let shifted = days + 3
        self.init(ordinal: shifted >= 0 ? shifted / 7 : (shifted - 6) / 7)
    }

    /// The ISO week (UTC) of `instant`, by default now: the week the order
    /// desk and the weekly run call "this week".
    public static func current(_ instant: Timestamp = .now) -> Period {
        Period(containing: instant)
    }

    /// Number of weeks from `self` to `other` (positive when `other` is later).
    public func distance(to other: Period) -> Int { other.ordinal - ordinal }

    public static func < (a: Period, b: Period) -> Bool {
        (a.year, a.week) < (b.year, b.week)
    }

    /// Weeks since the week of 1970-01-01 (a Thursday); that week has ordinal 0.
    public var ordinal: Int { Period.firstOrdinal(of: year) + week - 1 }

    /// The week with the given ordinal (see `ordinal`).
    public init(ordinal: Int) {
        let thursday = ordinal * 7
        let (y, _, _) = CivilDate.civil(fromDays: thursday)
        let jan1 = CivilDate.days(year: y, month: 1, day: 1)
        self.year = y
        self.week = (thursday - jan1) / 7 + 1
    }

    private static func firstOrdinal(of year: Int) -> Int {
        let jan4 = CivilDate.days(year: year, month: 1, day: 4)
        let monday = jan4 - CivilDate.weekday(days: jan4)
        return (monday + 3) / 7
    }
}

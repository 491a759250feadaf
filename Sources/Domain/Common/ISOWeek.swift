/// An ISO 8601 week, written `2026-W49`.
///
/// Weeks 1 to 52 exist in every ISO year; week 53 only in years that start
/// on a Thursday, or leap years that start on a Wednesday (2026 has one).
public struct ISOWeek: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    /// Parses `YYYY-Www`; `nil` when the text is not a real ISO week.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 8, bytes[4] == UInt8(ascii: "-"), bytes[5] == UInt8(ascii: "W") else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = digits(0..<4), let week = digits(6..<8), year >= 1, week >= 1,
              week <= ISOWeek.weeks(inYear: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// A week known to be valid.
    public init?(year: Int, week: Int) {
        guard year >= 1, year <= 9999, week >= 1, week <= ISOWeek.weeks(inYear: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// 52 or 53: the number of ISO weeks in `year`.
    public static func weeks(inYear year: Int) -> Int {
        // A year has 53 weeks when it starts on a Thursday, or is a leap year starting on a Wednesday.
        func weekdayOfJanuaryFirst(_ y: Int) -> Int {  // 0 = Monday
            let y1 = y - 1
            return (y1 * 365 + y1 / 4 - y1 / 100 + y1 / 400) % 7
        }
        let start = weekdayOfJanuaryFirst(year)
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return start == 3 || (leap && start == 2) ? 53 : 52
    }

    /// The week `count` weeks later (earlier when negative).
    public func adding(_ count: Int) -> ISOWeek {
        var year = self.year
        var week = self.week + count
        while week > ISOWeek.weeks(inYear: year) { week -= ISOWeek.weeks(inYear: year); year += 1 }
        while week < 1 { year -= 1; week += ISOWeek.weeks(inYear: year) }
        return ISOWeek(unchecked: year, week)
    }

    private init(unchecked year: Int, _ week: Int) {
        self.year = year
        self.week = week
    }

    public static func < (a: ISOWeek, b: ISOWeek) -> Bool { (a.year, a.week) < (b.year, b.week) }

    public var description: String {
        let y = String(year), w = String(week)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-W" + (w.count < 2 ? "0" : "") + w
    }
}

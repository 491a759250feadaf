import Values

/// An ISO 8601 week, written `2026-W49`: `Values.Period`, the one week type
/// of the whole system (the engine calls it `Period`, the domain `ISOWeek`).
///
/// Weeks 1 to 52 exist in every ISO year; week 53 only in years that start
/// on a Thursday, or leap years that start on a Wednesday (2026 has one).
public typealias ISOWeek = Period

extension Period {
    /// Parses a week as a person types it: surrounding spaces and a
    /// lower-case `w` are accepted (` 2026-w50 ` is 2026-W50).
    public init?(normalizing text: String) {
        let trimmed = TextRules.trimmed(text)
        guard trimmed.utf8.count == 8 else { return nil }
        self.init(TextRules.uppercased(trimmed))
    }
}

/// Which requested weeks order entry accepts: the order desk takes orders
/// for the current ISO week and later; migrating history takes any week.
public struct EntryWeeks: Equatable, Sendable {
    /// The earliest week accepted; `nil` accepts every week.
    public let earliest: ISOWeek?

    public init(earliest: ISOWeek?) { self.earliest = earliest }

    /// From the current ISO week (UTC) on: the rule for every entry.
    public static var fromThisWeek: EntryWeeks { EntryWeeks(earliest: .current()) }

    /// Any week, also past ones: for migrating order history.
    public static let includingPastWeeks = EntryWeeks(earliest: nil)

    /// Whether entry takes `week`.
    public func accepts(_ week: ISOWeek) -> Bool {
        earliest.map { week >= $0 } ?? true
    }

    /// Refuses a week before `earliest`.
    public func check(_ week: ISOWeek, record: @autoclosure () -> String, field: String = "week") throws {
        guard !accepts(week) else { return }
        throw ValidationFailure(record: record(), field: field, problem: pastWeek(week))
    }

    /// The one sentence for a week in the past.
    public func pastWeek(_ week: ISOWeek) -> String {
        "\(week) is in the past (this is \(earliest.map(\.description) ?? "?")); orders are for this week or later"
    }
}

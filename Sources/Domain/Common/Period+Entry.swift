import Values

// The domain's week is `Values.Period` (an ISO 8601 week, `2026-W49`), the
// one week type of the whole system; here are the rules of entering one.

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
    public let earliest: Period?

    public init(earliest: Period?) { self.earliest = earliest }

    /// From the current ISO week (UTC) on: the rule for every entry.
    public static var fromThisWeek: EntryWeeks { EntryWeeks(earliest: .current()) }

    /// Any week, also past ones: for migrating order history.
    public static let includingPastWeeks = EntryWeeks(earliest: nil)

    /// Whether entry takes `week`.
    public func accepts(_ week: Period) -> Bool {
        earliest.map { week >= $0 } ?? true
    }

    /// Refuses a week before `earliest`.
    public func check(_ week: Period, record: @autoclosure () -> String, field: String = "week") throws {
        guard !accepts(week) else { return }
        throw ValidationFailure(record: record(), field: field, problem: pastWeek(week))
    }

    /// The one sentence for a week in the past.
    public func pastWeek(_ week: Period) -> String {
        "\(week) is in the past (this is \(earliest.map(\.description) ?? "?")); orders are for this week or later"
    }
}

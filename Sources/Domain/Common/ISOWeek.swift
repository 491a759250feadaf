import Allocation
import Foundation

/// An ISO 8601 week, written `2026-W49`: the allocator's `Period`, shared so
/// that the whole system has one notion of a week.
///
/// Weeks 1 to 52 exist in every ISO year; week 53 only in years that start
/// on a Thursday, or leap years that start on a Wednesday (2026 has one).
public typealias ISOWeek = Period

extension Period {
    /// The week `count` weeks later (earlier when negative).
    public func adding(_ count: Int) -> Period { advanced(by: count) }

    /// Parses a week as a person types it: surrounding spaces and a
    /// lower-case `w` are accepted (` 2026-w50 ` is 2026-W50).
    public init?(normalizing text: some StringProtocol) {
        let trimmed = TextRules.trimmed(text)
        guard trimmed.utf8.count == 8 else { return nil }
        self.init(trimmed.uppercased())
    }

    /// The ISO week `date` falls in (UTC).
    public static func current(_ date: Date = Date()) -> Period {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        // Day 0 (1970-01-01) is a Thursday; its week starts three days earlier.
        let shifted = days + 3
        return Period(ordinal: shifted >= 0 ? shifted / 7 : (shifted - 6) / 7)
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

import Allocation

/// An ISO 8601 week, written `2026-W49`: the allocator's `Period`, shared so
/// that the whole system has one notion of a week.
///
/// Weeks 1 to 52 exist in every ISO year; week 53 only in years that start
/// on a Thursday, or leap years that start on a Wednesday (2026 has one).
public typealias ISOWeek = Period

extension Period {
    /// The week `count` weeks later (earlier when negative).
    public func adding(_ count: Int) -> Period { advanced(by: count) }
}

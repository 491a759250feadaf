import Foundation

/// Small checks the value types share; each throws a `ValidationFailure`
/// naming the record and field.
enum Validate {
    static func text(_ value: String, record: String, field: String, maxLength: Int = 200) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ValidationFailure(record: record, field: field, problem: "must not be empty") }
        guard trimmed.count <= maxLength else {
            throw ValidationFailure(record: record, field: field, problem: "must be at most \(maxLength) characters (got \(trimmed.count))")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ValidationFailure(record: record, field: field, problem: "must not contain control characters")
        }
        return trimmed
    }

    /// A quantity of chips: a whole number in `range`.
    static func quantity(_ value: Int, record: String, field: String, range: ClosedRange<Int>) throws -> Int {
        guard range.contains(value) else {
            let problem = value < range.lowerBound
                ? "must be at least \(range.lowerBound) (got \(value))"
                : "must be at most \(range.upperBound) (got \(value))"
            throw ValidationFailure(record: record, field: field, problem: problem)
        }
        return value
    }

    static func wholeLots(_ value: Int, lotSize: Int, sku: String, record: String, field: String) throws {
        guard value % lotSize == 0 else {
            throw ValidationFailure(
                record: record, field: field,
                problem: "\(value) is not a whole number of lots of \(sku) (lot size \(lotSize))")
        }
    }

    /// Money: exact, not negative, at most two decimal places.
    static func price(_ value: Decimal, record: String, field: String) throws -> Decimal {
        guard value >= 0 else { throw ValidationFailure(record: record, field: field, problem: "must not be negative (got \(value))") }
        guard value < Decimal(string: "100000000000000")! else {
            throw ValidationFailure(record: record, field: field, problem: "is too large (got \(value))")
        }
        var rounded = Decimal()
        var copy = value
        NSDecimalRound(&rounded, &copy, 2, .plain)
        guard rounded == value else {
            throw ValidationFailure(record: record, field: field, problem: "must have at most 2 decimal places (got \(value))")
        }
        return value
    }

    static func week(_ text: String, record: String, field: String) throws -> ISOWeek {
        guard let week = ISOWeek(text) else {
            throw ValidationFailure(record: record, field: field, problem: "must be an ISO week like 2026-W49 (got \"\(text)\")")
        }
        return week
    }
}

/// Largest quantity of chips any single field may hold (fits PostgreSQL integer).
public let maximumChips = 1_000_000_000

extension Decimal {
    /// Parses a plain decimal numeral exactly (`9800.00`, `1.5`); `nil` for anything else.
    public init?(exactly text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty,
              trimmed.range(of: #"^-?[0-9]+(\.[0-9]+)?$"#, options: .regularExpression) != nil,
              let value = Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        self = value
    }
}

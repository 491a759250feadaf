import Foundation
import Values

/// Small checks the value types share; each throws a `ValidationFailure`
/// naming the record and field.
enum Validate {
    /// Free text a person entered (a name, a reference): trimmed, not empty,
    /// at most `maxLength` characters, no control characters or overrides.
    static func text(_ value: String, record: @autoclosure () -> String, field: String, maxLength: Int = 200) throws -> String {
        let trimmed = TextRules.trimmed(value)
        guard !trimmed.isEmpty else { throw ValidationFailure(record: record(), field: field, problem: "must not be empty") }
        // Count characters only up to the limit, so a huge value costs no more than a long one.
        guard trimmed.utf8.count <= maxLength || trimmed.prefix(maxLength + 1).count <= maxLength else {
            throw ValidationFailure(
                record: record(), field: field,
                problem: "must be at most \(maxLength) characters (got \(Echo.quoted(trimmed)))")
        }
        guard !TextRules.containsUnsafe(trimmed) else {
            throw ValidationFailure(
                record: record(), field: field,
                problem: "must not contain control characters, line breaks or direction overrides (got \(Echo.quoted(trimmed)))")
        }
        return trimmed
    }

    /// A quantity of chips: a whole number in `range`.
    static func quantity(_ value: Int, record: @autoclosure () -> String, field: String, range: ClosedRange<Int>) throws -> Int {
        guard range.contains(value) else {
            let problem = value < range.lowerBound
                ? "must be at least \(range.lowerBound) (got \(value))"
                : "must be at most \(range.upperBound) (got \(value))"
            throw ValidationFailure(record: record(), field: field, problem: problem)
        }
        return value
    }

    /// A whole number typed as text: digits only after trimming, leading
    /// zeros allowed (`00016` is 16), at most `maxDigits` of them.
    static func wholeNumber(_ text: String, maxDigits: Int = 10) -> Int? {
        let trimmed = TextRules.trimmed(text)
        let bytes = trimmed.utf8
        guard !bytes.isEmpty else { return nil }
        var value = 0
        var significant = 0
        for byte in bytes {
            guard byte >= 48, byte <= 57 else { return nil }
            if value > 0 || byte != 48 { significant += 1 }
            guard significant <= maxDigits else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    /// A whole number typed as text, in `range`: malformed when it is not
    /// digits (the message says it must be `expected`), refused when out of range.
    static func wholeNumber(
        _ text: String, record: @autoclosure () -> String, field: String, expected: String, range: ClosedRange<Int>
    ) throws -> Int {
        guard let value = wholeNumber(text, maxDigits: 18) else {
            throw ValidationFailure(
                record: record(), field: field, problem: "must be \(expected) (got \(Echo.quoted(text)))", kind: .malformed)
        }
        guard range.contains(value) else {
            throw ValidationFailure(
                record: record(), field: field,
                problem: "must be from \(range.lowerBound) to \(range.upperBound) (got \(Echo.quoted(text)))")
        }
        return value
    }

    static func wholeLots(_ value: Int, lotSize: Int, sku: String, record: @autoclosure () -> String, field: String) throws {
        guard value % lotSize == 0 else {
            throw ValidationFailure(record: record(), field: field, problem: notWholeLots(value, sku: sku, lotSize: lotSize))
        }
    }

    /// The one sentence for a quantity that is not whole lots.
    static func notWholeLots(_ value: Int, sku: String, lotSize: Int) -> String {
        "\(value) is not a whole number of lots of \(sku) (lot size \(lotSize))"
    }

    /// Money: exact, not negative, at most two decimal places, below 10^14.
    static func price(_ value: Decimal, record: @autoclosure () -> String, field: String) throws -> Decimal {
        guard value >= 0 else { throw ValidationFailure(record: record(), field: field, problem: "must not be negative (got \(value))") }
        guard value < Decimal(string: "100000000000000")! else {
            throw ValidationFailure(record: record(), field: field, problem: "is too large (got \(value))")
        }
        var rounded = Decimal()
        var copy = value
        NSDecimalRound(&rounded, &copy, 2, .plain)
        guard rounded == value else {
            throw ValidationFailure(record: record(), field: field, problem: "must have at most 2 decimal places (got \(value))")
        }
        return value
    }

    /// An exact decimal typed as text (`9800.00`, ` 9800.5 `), or a malformed-value failure.
    static func decimal(_ text: String, record: @autoclosure () -> String, field: String) throws -> Decimal {
        guard let value = Decimal(exactly: String(text)) else {
            throw ValidationFailure(
                record: record(), field: field,
                problem: "must be a decimal number like 9800.00 (got \(Echo.quoted(text)))", kind: .malformed)
        }
        return value
    }

    /// An ISO week typed as text, in any case and with surrounding spaces (`2026-w50`).
    static func week(_ text: String, record: @autoclosure () -> String, field: String) throws -> Period {
        guard let week = Period(normalizing: text) else {
            throw ValidationFailure(
                record: record(), field: field,
                problem: "must be an ISO week like 2026-W49 (got \(Echo.quoted(text)))", kind: .malformed)
        }
        return week
    }
}

/// Largest quantity of chips any single field may hold (fits PostgreSQL integer).
public let maximumChips = 1_000_000_000

extension Decimal {
    /// Parses a plain decimal numeral exactly (`9800.00`, `1.5`, `-3`); `nil` for anything else.
    public init?(exactly text: String) {
        let trimmed = TextRules.trimmed(text)
        // At most 40 characters: more digits than any price or weight holds.
        guard trimmed.utf8.count <= 40, Self.isNumeral(trimmed.utf8),
              let value = Decimal(string: trimmed, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        self = value
    }

    /// `-?[0-9]+(\.[0-9]+)?`, checked byte by byte (imports parse a price per row).
    private static func isNumeral(_ bytes: String.UTF8View) -> Bool {
        var digitsBefore = 0, digitsAfter = 0, seenDot = false, first = true
        for byte in bytes {
            defer { first = false }
            switch byte {
            case UInt8(ascii: "-") where first: continue
            case UInt8(ascii: "."):
                guard !seenDot, digitsBefore > 0 else { return false }
                seenDot = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if seenDot { digitsAfter += 1 } else { digitsBefore += 1 }
            default: return false
            }
        }
        return digitsBefore > 0 && (!seenDot || digitsAfter > 0)
    }
}

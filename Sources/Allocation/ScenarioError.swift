import Values

/// A scenario that is refused: bad JSON or bad data. The CLI maps it to exit 65.
///
/// `description` is one line naming the record, e.g.
/// `orders[17] (id "L-9"): quantity 100 is not a multiple of lot size 16 for SKU TRN3`.
public struct ScenarioError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The record at fault, e.g. `orders[17] (id "L-9")`, or `scenario` for the document itself.
    public var record: String
    /// What is wrong.
    public var kind: Kind

    public init(_ record: String, _ kind: Kind) {
        self.record = record
        self.kind = kind
    }

    /// The kinds of refusal.
    public enum Kind: Hashable, Sendable {
        /// The bytes are not valid JSON (byte offset and reason).
        case malformedJSON(offset: Int, reason: String)
        /// A field the format does not define.
        case unknownField(String)
        /// The same field twice in one object.
        case duplicateField(String)
        /// A required field is absent.
        case missingField(String)
        /// A field has the wrong JSON type (field, expected type).
        case wrongType(field: String, expected: String)
        /// A number that must be a whole number is not (field, text).
        case notAnInteger(field: String, text: String)
        /// A number is below zero (field, text).
        case negative(field: String, text: String)
        /// A number is too large or too precise to be handled exactly (field, text).
        case unsupportedNumber(field: String, text: String)
        /// A week is not a valid `YYYY-Www` ISO week (field, text).
        case malformedPeriod(field: String, text: String)
        /// `placedAt` is not an RFC 3339 timestamp.
        case malformedTimestamp(String)
        /// `policy.method` is not `fair`, `proportional` or `turn-and-earn`.
        case unknownMethod(String)
        /// `internalFloorShare` is outside 0...1.
        case floorShareOutOfRange(String)
        /// A customer's weight is zero or negative.
        case weightNotPositive(String)
        /// A customer's tier is below 1.
        case tierNotPositive(Int)
        /// A product's lot size is zero.
        case lotSizeNotPositive(Int)
        /// An id (or SKU) occurs twice (what kind of id, the id).
        case duplicateID(kind: String, id: String)
        /// A SKU that no product defines.
        case unknownSKU(String)
        /// A customer id that no customer defines.
        case unknownCustomer(String)
        /// A fixed allocation names an order line that does not exist.
        case unknownOrder(String)
        /// A chip quantity is not a whole number of lots (field, quantity, lot size, SKU).
        case notLotMultiple(field: String, quantity: Int, lotSize: Int, sku: String)
        /// Two supply rows for the same SKU and week.
        case duplicateSupply(sku: String, period: Period)
        /// Two fixed allocations for the same line and week.
        case duplicateFixed(order: String, period: Period)
        /// A fixed allocation outside its SKU's horizon (first to last supply week).
        case fixedOutsideHorizon(sku: String, period: Period)
        /// A SKU's totals exceed what the engine handles exactly (2^62 chips).
        case tooLarge(sku: String, what: String)
        /// More order lines or customers than the engine indexes (2^31 - 1).
        case tooMany(what: String)
    }

    public var description: String {
        "\(record): \(message)"
    }

    /// The reason without the record.
    public var message: String {
        switch kind {
        case let .malformedJSON(offset, reason): return "malformed JSON at byte \(offset): \(reason)"
        case let .unknownField(f): return "unknown field \"\(f)\""
        case let .duplicateField(f): return "field \"\(f)\" appears twice"
        case let .missingField(f): return "missing field \"\(f)\""
        case let .wrongType(f, expected): return "field \"\(f)\" must be \(expected)"
        case let .notAnInteger(f, t): return "\(f) \(t) is not a whole number"
        case let .negative(f, t): return "\(f) \(t) is negative"
        case let .unsupportedNumber(f, t): return "\(f) \(t) is too large or has too many decimal places"
        case let .malformedPeriod(f, t): return "\(f) \"\(t)\" is not an ISO week like 2026-W49"
        case let .malformedTimestamp(t): return "placedAt \"\(t)\" is not an RFC 3339 timestamp like 2026-11-02T10:00:00Z"
        case let .unknownMethod(m): return "method \"\(m)\" is not one of fair, proportional, turn-and-earn"
        case let .floorShareOutOfRange(t): return "internalFloorShare \(t) is outside 0...1"
        case let .weightNotPositive(t): return "weight \(t) must be greater than 0"
        case let .tierNotPositive(t): return "tier \(t) must be 1 or more"
        case let .lotSizeNotPositive(l): return "lotSize \(l) must be 1 or more"
        case let .duplicateID(kind, id): return "duplicate \(kind) \"\(id)\""
        case let .unknownSKU(s): return "unknown SKU \"\(s)\""
        case let .unknownCustomer(c): return "unknown customer \"\(c)\""
        case let .unknownOrder(o): return "unknown order line \"\(o)\""
        case let .notLotMultiple(f, q, l, s): return "\(f) \(q) is not a multiple of lot size \(l) for SKU \(s)"
        case let .duplicateSupply(s, p): return "a second supply row for SKU \(s) in \(p)"
        case let .duplicateFixed(o, p): return "a second fixed allocation for order \(o) in \(p)"
        case let .fixedOutsideHorizon(s, p): return "\(p) is outside the supply horizon of SKU \(s)"
        case let .tooLarge(s, what): return "\(what) for SKU \(s) exceeds \(ScenarioIndex.maxChips) chips"
        case let .tooMany(what): return "more than \(ScenarioIndex.maxRecords) \(what)"
        }
    }
}

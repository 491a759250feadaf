import Foundation
import Values

/// One line of an order as entered.
public struct LineDraft: Hashable, Sendable {
    /// 1, 2, 3 … within the order.
    public let number: Int
    public let sku: String
    /// Chips; a multiple of the SKU's lot size (checked against the product).
    public let quantity: Int
    public let requestedWeek: Period
    /// `nil` takes the product's list price.
    public let unitPrice: Decimal?

    /// The highest line number an order may use.
    public static let maximumNumber = 100_000

    public init(number: Int, sku: String, quantity: Int, requestedWeek: Period, unitPrice: Decimal? = nil) throws {
        self.number = try Validate.quantity(number, record: "line \(number)", field: "line number", range: 1...Self.maximumNumber)
        self.sku = try Product.validSKU(sku)
        self.quantity = try Validate.quantity(quantity, record: "line \(number)", field: "quantity", range: 1...maximumChips)
        self.requestedWeek = requestedWeek
        self.unitPrice = try unitPrice.map { try Validate.price($0, record: "line \(number)", field: "unit price") }
    }

    /// Parses the command-line form `SKU:QTY:WEEK[:PRICE]`, e.g. `TRN3:512:2026-W50`.
    public init(number: Int, parsing text: String) throws {
        try self.init(number: number, terms: try Terms(parsing: text, record: "line \(number)", option: "--line"))
    }

    /// A line numbered `number` with terms read before its number was known.
    public init(number: Int, terms: Terms) throws {
        try self.init(number: number, sku: terms.sku, quantity: terms.quantity, requestedWeek: terms.requestedWeek, unitPrice: terms.unitPrice)
    }

    /// What `SKU:QUANTITY:WEEK[:UNIT_PRICE]` says, without a line number:
    /// `order create --line` and `order amend --add-line` read it alike.
    public struct Terms: Equatable, Sendable {
        public let sku: String
        public let quantity: Int
        public let requestedWeek: Period
        /// `nil` takes the product's list price.
        public let unitPrice: Decimal?

        /// - Throws: `ValidationFailure` (malformed) naming `record` and `option`.
        public init(parsing text: String, record: String, option: String) throws {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 || parts.count == 4 else {
                throw ValidationFailure(
                    record: record, field: option,
                    problem: "must be SKU:QUANTITY:WEEK[:UNIT_PRICE], like TRN3:512:2026-W50 (got \(Echo.quoted(text)))",
                    kind: .malformed)
            }
            sku = try Product.validSKU(parts[0])
            quantity = try LineDraft.quantity(parsing: parts[1], record: record)
            requestedWeek = try LineDraft.week(parsing: parts[2], record: record)
            unitPrice = parts.count == 4 ? try LineDraft.unitPrice(parsing: parts[3], record: record) : nil
        }
    }

    // MARK: Fields as typed (shared by `--line` and every imported row)

    /// A line number: digits (leading zeros allowed: `01` is line 1), 1 to 100,000.
    public static func number(parsing text: String, record: @autoclosure () -> String) throws -> Int {
        try Validate.wholeNumber(text, record: record(), field: "line", expected: "a line number", range: 1...maximumNumber)
    }

    /// A quantity of chips: digits (`00016` is 16), 1 to 1,000,000,000.
    public static func quantity(parsing text: String, record: @autoclosure () -> String) throws -> Int {
        try Validate.wholeNumber(text, record: record(), field: "quantity", expected: "a whole number of chips", range: 1...maximumChips)
    }

    /// The requested ISO week, in any case (`2026-w50`).
    public static func week(parsing text: String, record: @autoclosure () -> String) throws -> Period {
        try Validate.week(text, record: record(), field: "week")
    }

    /// A unit price: an exact decimal with at most 2 places; empty means the list price.
    public static func unitPrice(parsing text: String, record: @autoclosure () -> String) throws -> Decimal? {
        let trimmed = TextRules.trimmed(text)
        if trimmed.isEmpty { return nil }
        let value = try Validate.decimal(trimmed, record: record(), field: "unit price")
        return try Validate.price(value, record: record(), field: "unit price")
    }

    // MARK: Rules against the catalogue

    /// The line's problems against the stored products and the weeks entry
    /// accepts: an unknown SKU, a quantity that is not whole lots, a past week.
    public func problems(in catalogue: OrderCatalogue, weeks: EntryWeeks, record: @autoclosure () -> String) -> [ValidationFailure] {
        var failures: [ValidationFailure] = []
        if let problem = catalogue.lineProblem(sku: sku, quantity: quantity) {
            failures.append(ValidationFailure(record: record(), field: problem.field, problem: problem.problem))
        }
        if !weeks.accepts(requestedWeek) {
            failures.append(ValidationFailure(record: record(), field: "week", problem: weeks.pastWeek(requestedWeek)))
        }
        return failures
    }
}

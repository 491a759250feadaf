import Foundation

/// An order as entered, before it is stored. The customer and the
/// customer's reference (their PO number) identify it.
///
/// Every entry path (`order create`, `order import`) reads its text with
/// the parsers here and in `LineDraft`, so both agree on what an order is:
/// the same trimming, the same case rules, the same limits.
public struct OrderDraft: Equatable, Sendable {
    public let customer: String
    public let reference: String
    public let lines: [LineDraft]

    public init(customer: String, reference: String, lines: [LineDraft]) throws {
        self.customer = try Customer.validID(customer)
        self.reference = try Self.validReference(reference, record: "order \(Echo.value(customer))/\(Echo.value(reference))")
        self.lines = try Self.validLines(lines, record: "order \(self.customer)/\(self.reference)")
    }

    /// An order's lines, at least one, each number once, in line order
    /// (for an order entered, and for one quoted under `record`).
    public static func validLines(_ lines: [LineDraft], record: String) throws -> [LineDraft] {
        guard !lines.isEmpty else {
            throw ValidationFailure(record: record, field: "lines", problem: "must hold at least one line")
        }
        var seen = Set<Int>()
        for line in lines where !seen.insert(line.number).inserted {
            throw ValidationFailure(record: record, field: "line \(line.number)", problem: "appears twice")
        }
        return lines.sorted { $0.number < $1.number }
    }

    /// The customer's reference as typed: trimmed, 1 to 100 characters, no
    /// control characters. Case is kept (`PO-1` and `po-1` are two orders).
    public static func validReference(_ text: String, record: @autoclosure () -> String) throws -> String {
        try Validate.text(text, record: record(), field: "reference", maxLength: 100)
    }

    /// Every problem of the draft against the stored catalogue and the
    /// weeks entry accepts: unknown customer or SKU, quantities that are not
    /// whole lots, weeks in the past, lines in more than one currency.
    public func problems(in catalogue: OrderCatalogue, weeks: EntryWeeks) -> [ValidationFailure] {
        Self.problems(customer: customer, lines: lines, record: "order \(customer)/\(reference)", in: catalogue, weeks: weeks)
    }

    /// The same rules for `customer`'s `lines` under any record name: an
    /// order's, or a quote's (`order quote` has no reference).
    public static func problems(
        customer: String, lines: [LineDraft], record: String, in catalogue: OrderCatalogue, weeks: EntryWeeks
    ) -> [ValidationFailure] {
        var failures: [ValidationFailure] = []
        if let problem = catalogue.customerProblem(customer) {
            failures.append(ValidationFailure(record: record, field: "customer", problem: problem))
        }
        return failures + Self.lineProblems(lines, record: record, currencies: OrderCurrencies(), in: catalogue, weeks: weeks)
    }

    /// The problems of lines joining the order `record`: each line's own
    /// (`LineDraft.problems`), and a currency other than the order's, which
    /// `currencies` holds from the lines it has already (none for a new order).
    public static func lineProblems(
        _ lines: [LineDraft], record: String, currencies: OrderCurrencies, in catalogue: OrderCatalogue, weeks: EntryWeeks
    ) -> [ValidationFailure] {
        var failures: [ValidationFailure] = []
        var currencies = currencies
        for line in lines {
            let lineRecord = "\(record) line \(line.number)"
            failures += line.problems(in: catalogue, weeks: weeks, record: lineRecord)
            if let product = catalogue.products[line.sku], let problem = currencies.add(line.sku, product.currency) {
                failures.append(ValidationFailure(record: lineRecord, field: "currency", problem: problem))
            }
        }
        return failures
    }
}

/// The currency an order's lines share, learnt from its first line.
public struct OrderCurrencies: Sendable {
    private var first: (sku: String, currency: String)?

    public init() {}

    /// Adds a line; returns the problem when its currency differs from the order's.
    public mutating func add(_ sku: String, _ currency: String) -> String? {
        guard let first else {
            self.first = (sku, currency)
            return nil
        }
        guard currency != first.currency else { return nil }
        return "\(sku) is priced in \(currency), but \(first.sku) on the same order in \(first.currency); an order's lines share one currency"
    }
}

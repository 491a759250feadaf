import Foundation

/// An order as entered, before it is stored. The customer and the
/// customer's reference (their PO number) identify it.
public struct OrderDraft: Equatable, Sendable {
    public let customer: String
    public let reference: String
    public let lines: [LineDraft]

    public init(customer: String, reference: String, lines: [LineDraft]) throws {
        self.customer = try Customer.validID(customer)
        self.reference = try Validate.text(reference, record: "order \(customer)/\(reference)", field: "reference", maxLength: 100)
        guard !lines.isEmpty else {
            throw ValidationFailure(record: "order \(customer)/\(reference)", field: "lines", problem: "must hold at least one line")
        }
        var seen = Set<Int>()
        for line in lines where !seen.insert(line.number).inserted {
            throw ValidationFailure(record: "order \(customer)/\(reference)", field: "line \(line.number)", problem: "appears twice")
        }
        self.lines = lines.sorted { $0.number < $1.number }
    }
}

/// One line of an order as entered.
public struct LineDraft: Equatable, Sendable {
    /// 1, 2, 3 … within the order.
    public let number: Int
    public let sku: String
    /// Chips; a multiple of the SKU's lot size (the store checks it against the product).
    public let quantity: Int
    public let requestedWeek: ISOWeek
    /// `nil` takes the product's list price.
    public let unitPrice: Decimal?

    public init(number: Int, sku: String, quantity: Int, requestedWeek: ISOWeek, unitPrice: Decimal? = nil) throws {
        let record = "line \(number)"
        self.number = try Validate.quantity(number, record: record, field: "line number", range: 1...100_000)
        self.sku = try Product.validSKU(sku)
        self.quantity = try Validate.quantity(quantity, record: record, field: "quantity", range: 1...maximumChips)
        self.requestedWeek = requestedWeek
        self.unitPrice = try unitPrice.map { try Validate.price($0, record: record, field: "unit price") }
    }

    /// Parses the command-line form `SKU:QTY:WEEK[:PRICE]`, e.g. `TRN3:512:2026-W50`.
    public init(number: Int, parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let record = "line \(number)"
        guard parts.count == 3 || parts.count == 4 else {
            throw ValidationFailure(record: record, field: "--line", problem: "must be SKU:QUANTITY:WEEK[:UNIT_PRICE], like TRN3:512:2026-W50 (got \"\(text)\")")
        }
        guard let quantity = Int(parts[1]) else {
            throw ValidationFailure(record: record, field: "quantity", problem: "must be a whole number of chips (got \"\(parts[1])\")")
        }
        let week = try Validate.week(parts[2], record: record, field: "week")
        var price: Decimal?
        if parts.count == 4 {
            guard let value = Decimal(exactly: parts[3]) else {
                throw ValidationFailure(record: record, field: "unit price", problem: "must be a decimal number like 9800.00 (got \"\(parts[3])\")")
            }
            price = value
        }
        try self.init(number: number, sku: parts[0], quantity: quantity, requestedWeek: week, unitPrice: price)
    }
}

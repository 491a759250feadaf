import Values

/// Planned output of one SKU in one ISO week, in chips.
public struct SupplyEntry: Equatable, Sendable {
    public let sku: String
    public let week: Period
    public let quantity: Int

    public init(sku: String, week: Period, quantity: Int) throws {
        self.sku = try Product.validSKU(sku)
        self.week = week
        self.quantity = try Validate.quantity(quantity, record: "supply \(self.sku) \(week)", field: "quantity", range: 0...maximumChips)
    }

    /// Reads a row as typed (`sku,week,quantity`): the same trimming and
    /// case rules as every other entry (` trn3 `, `2026-w50`, `00016`).
    public init(sku: String, week: String, quantity: String, record: @autoclosure () -> String) throws {
        let parsedWeek = try Validate.week(week, record: record(), field: "week")
        let chips = try Validate.wholeNumber(
            quantity, record: record(), field: "quantity", expected: "a whole number of chips", range: 0...maximumChips)
        try self.init(sku: sku, week: parsedWeek, quantity: chips)
    }
}

/// Planned output of one SKU in one ISO week, in chips.
public struct SupplyEntry: Equatable, Sendable {
    public let sku: String
    public let week: ISOWeek
    public let quantity: Int

    public init(sku: String, week: ISOWeek, quantity: Int) throws {
        self.sku = try Product.validSKU(sku)
        self.week = week
        self.quantity = try Validate.quantity(quantity, record: "supply \(self.sku) \(week)", field: "quantity", range: 0...maximumChips)
    }

    /// Reads a row as typed (`sku,week,quantity`): the same trimming and
    /// case rules as every other entry (` trn3 `, `2026-w50`, `00016`).
    public init(sku: String, week: String, quantity: String, record: @autoclosure () -> String) throws {
        let parsedWeek = try Validate.week(week, record: record(), field: "week")
        guard let chips = Validate.wholeNumber(quantity, maxDigits: 18) else {
            throw ValidationFailure(
                record: record(), field: "quantity",
                problem: "must be a whole number of chips from 0 to \(maximumChips) (got \(Echo.quoted(quantity)))", kind: .malformed)
        }
        guard chips <= maximumChips else {
            throw ValidationFailure(
                record: record(), field: "quantity",
                problem: "must be a whole number of chips from 0 to \(maximumChips) (got \(Echo.quoted(quantity)))")
        }
        try self.init(sku: sku, week: parsedWeek, quantity: chips)
    }
}

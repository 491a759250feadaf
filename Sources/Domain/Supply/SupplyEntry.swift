/// Planned output of one SKU in one ISO week, in chips.
public struct SupplyEntry: Equatable, Sendable {
    public let sku: String
    public let week: ISOWeek
    public let quantity: Int

    public init(sku: String, week: ISOWeek, quantity: Int) throws {
        self.sku = try Product.validSKU(sku)
        self.week = week
        self.quantity = try Validate.quantity(quantity, record: "supply \(sku) \(week)", field: "quantity", range: 0...maximumChips)
    }
}

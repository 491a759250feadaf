import Values

/// Planned output of a SKU in a week, in chips.
public struct SupplyRow: Hashable, Sendable {
    public var sku: String
    public var period: Period
    public var quantity: Int

    public init(sku: String, period: Period, quantity: Int) {
        self.sku = sku
        self.period = period
        self.quantity = quantity
    }
}

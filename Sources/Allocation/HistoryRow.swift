import Values

/// Chips of a SKU shipped to a customer in a past week (used by `turn-and-earn`).
public struct HistoryRow: Hashable, Sendable {
    public var customer: String
    public var sku: String
    public var period: Period
    public var quantity: Int

    public init(customer: String, sku: String, period: Period, quantity: Int) {
        self.customer = customer
        self.sku = sku
        self.period = period
        self.quantity = quantity
    }
}

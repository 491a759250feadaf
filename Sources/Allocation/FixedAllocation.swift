import Values

/// Chips already committed to a line in a week (frozen window); kept by every run.
public struct FixedAllocation: Hashable, Sendable {
    /// The order line id.
    public var order: String
    public var period: Period
    /// Chips, a multiple of the SKU's lot size.
    public var quantity: Int

    public init(order: String, period: Period, quantity: Int) {
        self.order = order
        self.period = period
        self.quantity = quantity
    }
}

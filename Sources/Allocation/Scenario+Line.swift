import Values

extension Scenario {
    /// An order line as the engine sees it: open chips still to allocate
    /// (the domain's order line, with prices and history, is `Domain.OrderLine`).
    public struct Line: Hashable, Sendable {
        public var id: String
        public var customer: String
        public var sku: String
        /// Open chips still to allocate (fixed lots not included), a multiple of the lot size.
        public var quantity: Int
        /// First week the line may receive chips.
        public var requestedPeriod: Period
        /// When the order was placed; earlier wins ties.
        public var placedAt: Timestamp

        public init(id: String, customer: String, sku: String, quantity: Int, requestedPeriod: Period, placedAt: Timestamp) {
            self.id = id
            self.customer = customer
            self.sku = sku
            self.quantity = quantity
            self.requestedPeriod = requestedPeriod
            self.placedAt = placedAt
        }
    }
}

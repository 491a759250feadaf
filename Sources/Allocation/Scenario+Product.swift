import Values

extension Scenario {
    /// A SKU as the engine sees it: its lot size and the stock on hand before
    /// the first week (the catalogue record is `Domain.Product`).
    public struct Product: Hashable, Sendable {
        public var sku: String
        /// Chips per lot (tray, board or server); every quantity is a multiple of it.
        public var lotSize: Int
        /// Chips in stock before the horizon's first week (the initial carry).
        public var onHand: Int

        public init(sku: String, lotSize: Int, onHand: Int = 0) {
            self.sku = sku
            self.lotSize = lotSize
            self.onHand = onHand
        }
    }
}

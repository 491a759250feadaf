import Foundation

/// What moved stock.
public enum MovementKind: String, Sendable, CaseIterable {
    /// Output arrived in the warehouse (positive).
    case receipt
    /// Chips left against an order line (negative).
    case shipment
    /// A correction with a reason (either sign).
    case adjustment
}

/// One row of the append-only inventory ledger.
public struct Movement: Equatable, Sendable {
    public let id: Int
    public let sku: String
    public let kind: MovementKind
    /// Signed chips: receipts add, shipments subtract.
    public let quantity: Int
    public let orderLineID: Int?
    /// For a shipment beyond the plan: its reason (otherwise any note).
    public let note: String?
    /// A shipment that went beyond what the plan had due (its note says why).
    public let beyondPlan: Bool
    public let at: Date
    public let actor: String

    public init(
        id: Int, sku: String, kind: MovementKind, quantity: Int, orderLineID: Int?, note: String?, beyondPlan: Bool = false,
        at: Date, actor: String
    ) {
        self.id = id
        self.sku = sku
        self.kind = kind
        self.quantity = quantity
        self.orderLineID = orderLineID
        self.note = note
        self.beyondPlan = beyondPlan
        self.at = at
        self.actor = actor
    }
}

/// Stock of one SKU.
public struct StockLevel: Equatable, Sendable {
    public let sku: String
    public let name: String
    public let lotSize: Int
    public let onHand: Int
    public let received: Int
    public let shipped: Int
    public let adjusted: Int

    public init(sku: String, name: String, lotSize: Int, onHand: Int, received: Int, shipped: Int, adjusted: Int) {
        self.sku = sku
        self.name = name
        self.lotSize = lotSize
        self.onHand = onHand
        self.received = received
        self.shipped = shipped
        self.adjusted = adjusted
    }
}

import Foundation
import Values

/// Where an order or a line stands, derived from its quantities.
public enum OrderStatus: String, CaseIterable, Sendable {
    case open
    case partiallyShipped = "partially_shipped"
    case shipped
    case cancelled
}

/// A stored order with its lines.
public struct Order: Equatable, Sendable {
    public let id: Int
    public let customer: String
    public let reference: String
    public let placedAt: Date
    public let status: OrderStatus
    public let lines: [OrderLine]

    public init(id: Int, customer: String, reference: String, placedAt: Date, status: OrderStatus, lines: [OrderLine]) {
        self.id = id
        self.customer = customer
        self.reference = reference
        self.placedAt = placedAt
        self.status = status
        self.lines = lines
    }

    /// The differences between this order and a draft with the same
    /// reference, one sentence each; empty when the draft is the same order.
    /// A draft line without a unit price matches any stored price.
    public func differences(from draft: OrderDraft) -> [String] {
        var result: [String] = []
        let stored = Dictionary(uniqueKeysWithValues: lines.map { ($0.number, $0) })
        let entered = Dictionary(uniqueKeysWithValues: draft.lines.map { ($0.number, $0) })
        for number in Set(stored.keys).union(entered.keys).sorted() {
            switch (stored[number], entered[number]) {
            case let (line?, draftLine?):
                if line.sku != draftLine.sku { result.append("line \(number) sku: recorded \(line.sku), entered \(draftLine.sku)") }
                if line.quantity != draftLine.quantity {
                    result.append("line \(number) quantity: recorded \(line.quantity), entered \(draftLine.quantity)")
                }
                if line.requestedWeek != draftLine.requestedWeek {
                    result.append("line \(number) week: recorded \(line.requestedWeek), entered \(draftLine.requestedWeek)")
                }
                if let price = draftLine.unitPrice, price != line.unitPrice {
                    result.append("line \(number) unit price: recorded \(line.unitPrice), entered \(price)")
                }
            case (_?, nil):
                result.append("line \(number): recorded, not entered")
            case (nil, _?):
                result.append("line \(number): entered, not recorded")
            case (nil, nil):
                break
            }
        }
        return result
    }
}

/// A stored order line.
public struct OrderLine: Equatable, Sendable {
    public let id: Int
    public let number: Int
    public let sku: String
    public let quantity: Int
    public let requestedWeek: Period
    public let unitPrice: Decimal
    public let currency: String
    public let cancelled: Int
    public let shipped: Int
    public let status: OrderStatus

    public init(
        id: Int, number: Int, sku: String, quantity: Int, requestedWeek: Period, unitPrice: Decimal,
        currency: String, cancelled: Int, shipped: Int, status: OrderStatus
    ) {
        self.id = id
        self.number = number
        self.sku = sku
        self.quantity = quantity
        self.requestedWeek = requestedWeek
        self.unitPrice = unitPrice
        self.currency = currency
        self.cancelled = cancelled
        self.shipped = shipped
        self.status = status
    }

    /// Chips still to ship: ordered − cancelled − shipped.
    public var open: Int { quantity - cancelled - shipped }
}

/// One entry of an order's audit trail.
public struct OrderEvent: Equatable, Sendable {
    public let id: Int
    public let orderID: Int
    public let line: Int?
    public let action: String
    public let at: Date
    public let actor: String
    public let reason: String?
    public let before: String?
    public let after: String?

    public init(id: Int, orderID: Int, line: Int?, action: String, at: Date, actor: String, reason: String?, before: String?, after: String?) {
        self.id = id
        self.orderID = orderID
        self.line = line
        self.action = action
        self.at = at
        self.actor = actor
        self.reason = reason
        self.before = before
        self.after = after
    }
}

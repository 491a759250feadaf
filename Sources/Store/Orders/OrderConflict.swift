import Domain

/// An order was entered again with the same reference but different content.
public struct OrderConflict: Error, Equatable, Sendable, CustomStringConvertible {
    public let orderID: Int
    public let customer: String
    public let reference: String
    /// One sentence per difference.
    public let differences: [String]

    public init(orderID: Int, customer: String, reference: String, differences: [String]) {
        self.orderID = orderID
        self.customer = customer
        self.reference = reference
        self.differences = differences
    }

    /// The conflict with an order recorded without lines (written behind the
    /// CLI's back before schema 013 refused it): nothing can match it.
    static func noLines(orderID: Int, customer: String, reference: String) -> OrderConflict {
        OrderConflict(orderID: orderID, customer: customer, reference: reference,
                      differences: ["it has no lines (stored outside chipsales; see chipsales db check)"])
    }

    public var description: String {
        "order \(customer)/\(Echo.value(reference)) was already recorded as order \(orderID) with different content: "
            + differences.joined(separator: "; ")
    }
}

/// What `OrderStore.create` did.
public enum OrderEntry: Equatable, Sendable {
    /// A new order was stored.
    case created(Order)
    /// The same order had been recorded before; nothing changed.
    case alreadyRecorded(Order)

    public var order: Order {
        switch self {
        case .created(let order), .alreadyRecorded(let order): order
        }
    }
}

/// A row of `order list`.
public struct OrderSummary: Equatable, Sendable {
    public let id: Int
    public let customer: String
    public let reference: String
    public let placedAt: String
    public let status: OrderStatus
    public let lines: Int
    public let ordered: Int
    public let cancelled: Int
    public let shipped: Int
    public let open: Int
}

/// One page of `order list`.
public struct OrderPage: Equatable, Sendable {
    public let orders: [OrderSummary]
    /// How many orders match the filters in all.
    public let total: Int
    /// How many matching orders come before this page.
    public let offset: Int

    /// Whether orders matching the filters were left out of this page.
    public var isPartial: Bool { offset > 0 || offset + orders.count < total }
}

/// What an order import stored.
public struct OrderImportSummary: Equatable, Sendable {
    public let rows: Int
    public let ordersCreated: Int
    public let linesCreated: Int
    public let ordersAlreadyRecorded: Int

    public init(rows: Int, ordersCreated: Int, linesCreated: Int, ordersAlreadyRecorded: Int) {
        self.rows = rows
        self.ordersCreated = ordersCreated
        self.linesCreated = linesCreated
        self.ordersAlreadyRecorded = ordersAlreadyRecorded
    }
}

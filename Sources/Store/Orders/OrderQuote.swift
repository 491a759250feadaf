import Domain
import Values

/// What the plan would confirm for an order's lines, week by week, if the
/// order were entered now and the plan re-run (available-to-promise under
/// rationing), and whose chips it would take. Made by `QuoteStore`.
public struct OrderQuote: Equatable, Sendable {
    /// Chips in one week: the same value an order's confirmations hold.
    public typealias Week = ConfirmedWeek

    /// One line of the order and what the re-run gives it.
    public struct Line: Equatable, Sendable {
        /// 1, 2, 3 … within the order.
        public let number: Int
        public let sku: String
        /// Chips ordered.
        public let quantity: Int
        public let requestedWeek: Period
        /// Chips the re-run gives the line, by week, earliest first (frozen lots included).
        public let confirmed: [Week]
        /// Open chips the re-run gives no week: still open minus confirmed.
        public let unconfirmed: Int

        /// All chips confirmed, over every week.
        public var confirmedTotal: Int { confirmed.reduce(0) { $0 + $1.quantity } }
    }

    /// A customer whose other lines the order would take chips from.
    public struct Displaced: Equatable, Sendable {
        public let customer: String
        /// Chips the customer's lines (other than the quoted order's) get in the
        /// re-run without the order, minus what they get with it.
        public let quantity: Int

        public init(customer: String, quantity: Int) {
            self.customer = customer
            self.quantity = quantity
        }
    }

    public let customer: String
    /// The stored order quoted (`order create --quote`); `nil` for an order not entered.
    public let orderID: Int?
    /// The stored order's reference; `nil` for an order not entered.
    public let reference: String?
    /// The first week of the re-run's horizon.
    public let asOf: Period
    /// Why the customer is held, in words (nothing is confirmed while it is); `nil` when it is not.
    public let hold: String?
    public let lines: [Line]
    /// Customers that would lose chips, most chips first (then by id); empty
    /// when the order takes only chips nobody else would get.
    public let displaced: [Displaced]
}

import Values

/// How a line's confirmation changed since the previous run (the rules are
/// in docs/operators.md, "Confirmations", and schema/010_confirmations.sql).
public enum ConfirmationChange: String, CaseIterable, Sendable {
    /// The previous run did not know the line (entered after it, or no previous run).
    case new
    /// The line's quantity or requested week changed after the previous run
    /// was stored: that run answered another request, so it is not compared.
    case amended
    /// Nothing the previous run confirmed comes later now, and more chips or earlier ones are confirmed.
    case better
    /// By some week, fewer chips are confirmed than the previous run confirmed by then.
    case worse
    /// The same chips in the same weeks.
    case unchanged
}

/// Chips the current plan confirms for a line in one week.
public struct ConfirmedWeek: Equatable, Sendable {
    public let week: Period
    public let quantity: Int

    public init(week: Period, quantity: Int) {
        self.week = week
        self.quantity = quantity
    }
}

/// What the current plan confirms on one open order line, and how that
/// changed since the previous run.
public struct LineConfirmation: Equatable, Sendable {
    public let orderID: Int
    /// The customer's reference for the order (their PO number).
    public let reference: String
    public let line: Int
    public let sku: String
    /// Chips ordered.
    public let quantity: Int
    public let requestedWeek: Period
    /// Chips still to ship: ordered − cancelled − shipped.
    public let open: Int
    /// The current plan's chips for the line, earliest week first.
    public let confirmed: [ConfirmedWeek]
    /// Open chips the current plan does not confirm.
    public let unconfirmed: Int
    public let change: ConfirmationChange
    /// What the previous run confirmed, capped at what is open now; `nil` for a new line.
    public let previousConfirmed: Int?

    public init(
        orderID: Int, reference: String, line: Int, sku: String, quantity: Int, requestedWeek: Period, open: Int,
        confirmed: [ConfirmedWeek], unconfirmed: Int, change: ConfirmationChange, previousConfirmed: Int?
    ) {
        self.orderID = orderID
        self.reference = reference
        self.line = line
        self.sku = sku
        self.quantity = quantity
        self.requestedWeek = requestedWeek
        self.open = open
        self.confirmed = confirmed
        self.unconfirmed = unconfirmed
        self.change = change
        self.previousConfirmed = previousConfirmed
    }

    /// Chips confirmed in all weeks together.
    public var confirmedTotal: Int { confirmed.reduce(0) { $0 + $1.quantity } }
}

/// Everything that may be sent to one customer about their open lines: their
/// own lines and the plan's promises, nothing about anyone else.
public struct CustomerConfirmations: Equatable, Sendable {
    public let customer: String
    /// The customer's own name, for the page sent to them.
    public let customerName: String
    /// The current plan's run.
    public let run: Int
    /// The week the run planned from.
    public let asOf: Period
    /// Every open line of the customer, by order and line number.
    public let lines: [LineConfirmation]

    public init(customer: String, customerName: String, run: Int, asOf: Period, lines: [LineConfirmation]) {
        self.customer = customer
        self.customerName = customerName
        self.run = run
        self.asOf = asOf
        self.lines = lines
    }
}

/// An order's confirmed chips in the current plan, over all its lines.
public struct OrderConfirmation: Equatable, Sendable {
    public let confirmed: Int
    /// The earliest week with confirmed chips; `nil` when nothing is confirmed.
    public let firstWeek: Period?

    public init(confirmed: Int, firstWeek: Period?) {
        self.confirmed = confirmed
        self.firstWeek = firstWeek
    }
}

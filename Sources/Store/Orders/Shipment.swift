import Domain
import Values

/// What the current plan has for one order line up to and including a week
/// (schema 011, `line_plan_due`).
public struct PlanDue: Equatable, Sendable {
    /// The current plan's run; nil when no run has been stored.
    public let run: Int?
    /// The week the figures run up to (inclusive).
    public let week: Period
    /// Chips the plan confirmed to the line in weeks up to `week`.
    public let confirmed: Int
    /// Of those, the chips shipments have taken since the plan was made.
    public let shipped: Int
    /// What may still ship against those weeks: `confirmed - shipped`.
    public let due: Int

    public init(run: Int?, week: Period, confirmed: Int, shipped: Int, due: Int) {
        self.run = run
        self.week = week
        self.confirmed = confirmed
        self.shipped = shipped
        self.due = due
    }
}

/// A shipment made by `OrderStore.ship`.
public struct Shipment: Equatable, Sendable {
    /// The order after the shipment.
    public let order: Order
    public let line: Int
    public let quantity: Int
    /// The plan's figures for the line through the shipment's week, before it shipped.
    public let plan: PlanDue

    /// Chips shipped beyond what the plan had due (0 for a shipment within the plan).
    public var beyondPlan: Int { max(0, quantity - plan.due) }

    public init(order: Order, line: Int, quantity: Int, plan: PlanDue) {
        self.order = order
        self.line = line
        self.quantity = quantity
        self.plan = plan
    }
}

import Values

/// The outcome of one allocation run. All quantities are chips.
public struct AllocationResult: Hashable, Sendable {
    /// Chips of one order line in one week: given to it (`allocations`, fixed
    /// lots included) or fixed chips given back (`released`).
    public struct Allocation: Hashable, Sendable {
        public var order: String
        public var sku: String
        public var period: Period
        public var quantity: Int

        public init(order: String, sku: String, period: Period, quantity: Int) {
            self.order = order
            self.sku = sku
            self.period = period
            self.quantity = quantity
        }
    }

    /// How one customer fared for one SKU in one week: the explanation row.
    public struct CustomerWeek: Hashable, Sendable {
        public var customer: String
        public var sku: String
        public var period: Period
        /// Open chips of the customer's lines requested by this week (before the cap; fixed lots not included).
        public var demand: Int
        /// Chips committed beforehand (fixed allocations) and kept: net of releases.
        public var fixed: Int
        /// Chips handed out as guarantees (internal floor and contract minimum).
        public var guaranteed: Int
        /// All chips the customer got this week (fixed, guaranteed and tier share).
        public var allocated: Int
        public var tier: Int
        public var weight: ExactDecimal
        /// True when the customer is on hold (it gets only its fixed lots).
        public var held: Bool

        public init(customer: String, sku: String, period: Period, demand: Int, fixed: Int, guaranteed: Int, allocated: Int, tier: Int, weight: ExactDecimal, held: Bool) {
            self.customer = customer
            self.sku = sku
            self.period = period
            self.demand = demand
            self.fixed = fixed
            self.guaranteed = guaranteed
            self.allocated = allocated
            self.tier = tier
            self.weight = weight
            self.held = held
        }
    }

    /// Open chips of a line left after the last week.
    public struct Backlog: Hashable, Sendable {
        public var order: String
        public var customer: String
        public var sku: String
        public var quantity: Int
        /// True when the line's customer is on hold.
        public var held: Bool

        public init(order: String, customer: String, sku: String, quantity: Int, held: Bool) {
            self.order = order
            self.customer = customer
            self.sku = sku
            self.quantity = quantity
            self.held = held
        }
    }

    /// Stock flow of one SKU in one week.
    public struct PeriodSummary: Hashable, Sendable {
        public var sku: String
        public var period: Period
        /// Carry from the week before plus this week's supply.
        public var available: Int
        public var allocated: Int
        /// Chips carried into the next week (`available - allocated`).
        public var carry: Int

        public init(sku: String, period: Period, available: Int, allocated: Int, carry: Int) {
            self.sku = sku
            self.period = period
            self.available = available
            self.allocated = allocated
            self.carry = carry
        }
    }

    /// Stock of a SKU left after its last week (on-hand stock when it has no supply).
    public struct Unallocated: Hashable, Sendable {
        public var sku: String
        public var quantity: Int

        public init(sku: String, quantity: Int) {
            self.sku = sku
            self.quantity = quantity
        }
    }

    /// Sorted by SKU, week, line id (byte order). Fixed lots are included, net of releases.
    public var allocations: [Allocation]
    /// Fixed chips released at step 2 because a week's fixed lots exceeded its lots
    /// (supply cut, or stock shipped or written off after the plan was frozen);
    /// they return to the line's open quantity. Sorted by SKU, week, line id
    /// (byte order); usually empty.
    public var released: [Allocation]
    /// Sorted by SKU, week, customer id. A row exists when the customer had demand, fixed or allocated chips that week.
    public var customers: [CustomerWeek]
    /// Sorted by SKU, line id; lines with open chips left only.
    public var backlog: [Backlog]
    /// Sorted by SKU, week; every week of each SKU's horizon.
    public var periods: [PeriodSummary]
    /// One row per SKU, sorted by SKU.
    public var unallocated: [Unallocated]

    public init(allocations: [Allocation] = [], released: [Allocation] = [], customers: [CustomerWeek] = [], backlog: [Backlog] = [],
                periods: [PeriodSummary] = [], unallocated: [Unallocated] = []) {
        self.allocations = allocations
        self.released = released
        self.customers = customers
        self.backlog = backlog
        self.periods = periods
        self.unallocated = unallocated
    }
}

import Allocation
import Values

/// The chip figures of one run, computed once from its input and the
/// engine's result: the totals `RunStore.save` records on the run, the
/// internal chips it stores per SKU and week, and what `allocate run`
/// reports per SKU, per customer and in its headline.
public struct RunFigures: Sendable {
    /// Chip figures of one SKU, or of every SKU together.
    public struct Chips: Sendable, Equatable {
        public var supply = 0
        public var onHand = 0
        /// Open chips of the lines (fixed lots included): allocated + backlog.
        public var demand = 0
        public var allocated = 0
        /// Allocated to internal customers.
        public var internalChips = 0
        public var backlog = 0
        /// Stock left after the horizon.
        public var unallocated = 0
        public var available: Int { supply + onHand }
        public var outsideChips: Int { allocated - internalChips }

        public init(
            supply: Int = 0, onHand: Int = 0, demand: Int = 0, allocated: Int = 0, internalChips: Int = 0,
            backlog: Int = 0, unallocated: Int = 0
        ) {
            self.supply = supply
            self.onHand = onHand
            self.demand = demand
            self.allocated = allocated
            self.internalChips = internalChips
            self.backlog = backlog
            self.unallocated = unallocated
        }

        public static func + (a: Chips, b: Chips) -> Chips {
            Chips(
                supply: a.supply + b.supply, onHand: a.onHand + b.onHand, demand: a.demand + b.demand,
                allocated: a.allocated + b.allocated, internalChips: a.internalChips + b.internalChips,
                backlog: a.backlog + b.backlog, unallocated: a.unallocated + b.unallocated)
        }
    }

    /// One SKU's figures.
    public struct SKU: Sendable, Equatable {
        public let sku: String
        public let chips: Chips
    }

    /// Per SKU, in the scenario's product order.
    public let skus: [SKU]
    /// Every SKU's figures together.
    public let total: Chips
    /// The backlog of customers on hold.
    public let heldBacklog: Int
    /// Chips internal customers got, per SKU and week.
    public let internalChipsByWeek: [String: [Period: Int]]
    /// Chips each customer got (fixed lots included), from the result's
    /// explanation rows; the fill rate's numerator.
    public let allocatedByCustomer: [String: Int]

    /// Sums `result` once. Backlog rows come sorted by SKU, so they are
    /// summed in runs without hashing a million SKU strings.
    public init(input: PlanInput, result: AllocationResult) {
        let insiders = Set(input.scenario.customers.filter(\.isInternal).map(\.id))
        var internalByWeek: [String: [Period: Int]] = [:]
        var byCustomer: [String: Int] = [:]
        for row in result.customers {
            byCustomer[row.customer, default: 0] += row.allocated
            if insiders.contains(row.customer) { internalByWeek[row.sku, default: [:]][row.period, default: 0] += row.allocated }
        }
        var allocated: [String: Int] = [:]
        for period in result.periods { allocated[period.sku, default: 0] += period.allocated }
        var backlog: [String: Int] = [:]
        var runSKU: String?
        var runChips = 0
        var held = 0
        for row in result.backlog {
            if row.sku != runSKU {
                if let runSKU { backlog[runSKU, default: 0] += runChips }
                runSKU = row.sku
                runChips = 0
            }
            runChips += row.quantity
            if row.held { held += row.quantity }
        }
        if let runSKU { backlog[runSKU, default: 0] += runChips }
        var unallocated: [String: Int] = [:]
        for row in result.unallocated { unallocated[row.sku, default: 0] += row.quantity }

        skus = input.scenario.products.map { product in
            let supply = input.supply[product.sku]?.values.reduce(0, +) ?? 0
            let given = allocated[product.sku] ?? 0, left = backlog[product.sku] ?? 0
            let internalChips = internalByWeek[product.sku]?.values.reduce(0, +) ?? 0
            return SKU(sku: product.sku, chips: Chips(
                supply: supply, onHand: product.onHand, demand: given + left, allocated: given,
                internalChips: internalChips, backlog: left, unallocated: unallocated[product.sku] ?? 0))
        }
        total = skus.map(\.chips).reduce(Chips(), +)
        heldBacklog = held
        internalChipsByWeek = internalByWeek
        allocatedByCustomer = byCustomer
    }
}

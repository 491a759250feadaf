import Allocation
import Foundation
import Store
import Values

/// What `allocate run` reports: the headline figures, stock flow per SKU and
/// week, totals per SKU, per-customer fill rates (with why a customer is
/// held), the change from the previous plan, the frozen chips the run
/// released, and why the internal buyers are above their floor when they
/// are. Computed once; printed as a table
/// or as JSON (`RunSummary+Output.swift`).
struct RunSummary {
    let runID: Int?
    let previousRunID: Int?
    let input: PlanInput
    let result: AllocationResult
    let changes: [PlanChange]
    let computeMilliseconds: Int
    let trimmed: Int
    /// Frozen chips the run gave back (step 2 of the allocation rules), per
    /// line and week, from the engine's result (a dry run has them too).
    let released: [Release]
    /// Per customer with demand or chips, internal first.
    let customers: [CustomerLine]
    /// Per SKU, in SKU order.
    let skus: [SKULine]
    let headline: Headline

    struct CustomerLine {
        let id: String
        let isInternal: Bool
        let tier: Int
        /// Why the run left the customer out (`export compliance pending`,
        /// `credit hold`); `nil` when it was not held.
        let holdReason: String?
        /// Open chips (fixed lots included).
        let demand: Int
        let allocated: Int
        var held: Bool { holdReason != nil }
        var fillRate: Percent { Percent(allocated, of: demand) }
    }

    /// Chip figures of one SKU, or of every SKU together.
    struct Figures {
        var supply = 0
        var onHand = 0
        /// Open chips of the lines (fixed lots included): allocated + backlog.
        var demand = 0
        var allocated = 0
        var internalChips = 0
        var backlog = 0
        /// Stock left after the horizon.
        var unallocated = 0
        var available: Int { supply + onHand }
        var outsideChips: Int { allocated - internalChips }

        static func + (a: Figures, b: Figures) -> Figures {
            Figures(
                supply: a.supply + b.supply, onHand: a.onHand + b.onHand, demand: a.demand + b.demand,
                allocated: a.allocated + b.allocated, internalChips: a.internalChips + b.internalChips,
                backlog: a.backlog + b.backlog, unallocated: a.unallocated + b.unallocated)
        }
    }

    struct SKULine {
        let sku: String
        let figures: Figures
    }

    /// Every SKU's figures together, the backlog of held customers and the
    /// frozen chips released.
    struct Headline {
        let figures: Figures
        let heldBacklog: Int
        let releasedChips: Int
    }

    init(runID: Int?, previousRunID: Int?, input: PlanInput, result: AllocationResult, changes: [PlanChange],
         computeMilliseconds: Int, trimmed: Int, released: [Release], customers: [CustomerLine]) {
        self.runID = runID
        self.previousRunID = previousRunID
        self.input = input
        self.result = result
        self.changes = changes
        self.computeMilliseconds = computeMilliseconds
        self.trimmed = trimmed
        self.released = released
        self.customers = customers
        let skus = Self.skus(input, result)
        self.skus = skus
        headline = Headline(
            figures: skus.map(\.figures).reduce(Figures(), +),
            heldBacklog: result.backlog.filter(\.held).reduce(0) { $0 + $1.quantity },
            releasedChips: released.reduce(0) { $0 + $1.quantity })
    }

    /// Demand from the scenario's lines and fixed lots; allocated from the
    /// result's explanation rows (one per customer, SKU and week).
    static func customers(_ input: PlanInput, _ result: AllocationResult, holdReasons: [String: String]) -> [CustomerLine] {
        let demand = input.openChipsByCustomer()
        var allocated: [String: Int] = [:]
        for row in result.customers { allocated[row.customer, default: 0] += row.allocated }
        return input.scenario.customers
            .filter { demand[$0.id, default: 0] > 0 || allocated[$0.id, default: 0] > 0 }
            .map { customer in
                CustomerLine(
                    id: customer.id, isInternal: customer.isInternal, tier: customer.tier,
                    // The run's snapshot decides who was held; the reason comes from the customer record.
                    holdReason: customer.hold ? holdReasons[customer.id] ?? "on hold when the run read its input" : nil,
                    demand: demand[customer.id] ?? 0, allocated: allocated[customer.id] ?? 0)
            }
            .sorted { ($0.isInternal ? 0 : 1, $0.id) < ($1.isInternal ? 0 : 1, $1.id) }
    }

    /// Per SKU: supply and stock in, chips allocated (internal among them),
    /// backlog and stock left. Backlog rows come sorted by SKU, so they are
    /// summed in runs without hashing a million SKU strings.
    static func skus(_ input: PlanInput, _ result: AllocationResult) -> [SKULine] {
        var allocated: [String: Int] = [:]
        for period in result.periods { allocated[period.sku, default: 0] += period.allocated }
        let insiders = Set(input.scenario.customers.filter(\.isInternal).map(\.id))
        var internalChips: [String: Int] = [:]
        for row in result.customers where insiders.contains(row.customer) { internalChips[row.sku, default: 0] += row.allocated }
        var backlog: [String: Int] = [:]
        var runSKU: String?
        var runChips = 0
        for row in result.backlog {
            if row.sku != runSKU {
                if let runSKU { backlog[runSKU, default: 0] += runChips }
                runSKU = row.sku
                runChips = 0
            }
            runChips += row.quantity
        }
        if let runSKU { backlog[runSKU, default: 0] += runChips }
        var unallocated: [String: Int] = [:]
        for row in result.unallocated { unallocated[row.sku, default: 0] += row.quantity }
        return input.scenario.products.map { product in
            let supply = input.supply[product.sku]?.values.reduce(0, +) ?? 0
            let given = allocated[product.sku] ?? 0, left = backlog[product.sku] ?? 0
            return SKULine(sku: product.sku, figures: Figures(
                supply: supply, onHand: product.onHand, demand: given + left, allocated: given,
                internalChips: internalChips[product.sku] ?? 0, backlog: left, unallocated: unallocated[product.sku] ?? 0))
        }
    }

    /// Internal chips per SKU and week.
    var internalChipsByWeek: [String: [Period: Int]] {
        let insiders = Set(input.scenario.customers.filter(\.isInternal).map(\.id))
        var chips: [String: [Period: Int]] = [:]
        for row in result.customers where insiders.contains(row.customer) {
            chips[row.sku, default: [:]][row.period, default: 0] += row.allocated
        }
        return chips
    }
}

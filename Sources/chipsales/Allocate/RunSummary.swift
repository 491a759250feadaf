import Allocation
import Foundation
import Store

/// What `allocate run` reports: the headline figures, stock flow per SKU and
/// week, totals per SKU, per-customer fill rates (with why a customer is
/// held), the change from the previous plan, and why the internal buyers
/// are above their floor when they are. Computed once; printed as a table
/// or as JSON (`RunSummary+Output.swift`).
struct RunSummary {
    let runID: Int?
    let previousRunID: Int?
    let input: PlanInput
    let result: AllocationResult
    let changes: [PlanChange]
    let computeMilliseconds: Int
    let trimmed: Int
    /// Per customer with demand or chips, internal first.
    let customers: [CustomerLine]
    /// Per SKU, in SKU order.
    let skus: [SKULine]
    let headline: Headline

    struct CustomerLine {
        let id: String
        let isInternal: Bool
        let tier: Int
        /// Why the run left the customer out (`export clearance pending`,
        /// `credit hold`); `nil` when it was not held.
        let holdReason: String?
        /// Open chips (fixed lots included).
        let demand: Int
        let allocated: Int
        var held: Bool { holdReason != nil }
        var fillRate: Percent { Percent(allocated, of: demand) }
    }

    struct SKULine {
        let sku: String
        let supply: Int
        let onHand: Int
        /// Open chips of the SKU's lines (fixed lots included): allocated + backlog.
        let demand: Int
        let allocated: Int
        let internalChips: Int
        let backlog: Int
        let unallocated: Int
        var available: Int { supply + onHand }
    }

    struct Headline {
        let supply: Int
        let onHand: Int
        let demand: Int
        let allocated: Int
        let internalChips: Int
        let backlog: Int
        let heldBacklog: Int
        let unallocated: Int
        var available: Int { supply + onHand }
    }

    /// - Parameter holdReasons: why each held customer is held, as the
    ///   customer records say (`Customer.holdReason`).
    init(runID: Int?, previousRunID: Int?, input: PlanInput, result: AllocationResult, changes: [PlanChange],
         computeMilliseconds: Int, trimmed: Int, customers: [CustomerLine]) {
        self.runID = runID
        self.previousRunID = previousRunID
        self.input = input
        self.result = result
        self.changes = changes
        self.computeMilliseconds = computeMilliseconds
        self.trimmed = trimmed
        self.customers = customers
        let skus = Self.skus(input, result)
        self.skus = skus
        headline = Headline(
            supply: skus.reduce(0) { $0 + $1.supply }, onHand: skus.reduce(0) { $0 + $1.onHand },
            demand: customers.reduce(0) { $0 + $1.demand }, allocated: customers.reduce(0) { $0 + $1.allocated },
            internalChips: customers.filter(\.isInternal).reduce(0) { $0 + $1.allocated },
            backlog: skus.reduce(0) { $0 + $1.backlog }, heldBacklog: result.backlog.filter(\.held).reduce(0) { $0 + $1.quantity },
            unallocated: skus.reduce(0) { $0 + $1.unallocated })
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
            return SKULine(
                sku: product.sku, supply: supply, onHand: product.onHand, demand: given + left, allocated: given,
                internalChips: internalChips[product.sku] ?? 0, backlog: left, unallocated: unallocated[product.sku] ?? 0)
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

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

    /// Chip figures of one SKU, or of every SKU together (`RunFigures`).
    typealias Figures = RunFigures.Chips

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

    /// The run's figures, summed once (`RunStore.save` stored the same).
    let figures: RunFigures

    init(runID: Int?, previousRunID: Int?, input: PlanInput, result: AllocationResult, figures: RunFigures,
         changes: [PlanChange], computeMilliseconds: Int, trimmed: Int, released: [Release], customers: [CustomerLine]) {
        self.runID = runID
        self.previousRunID = previousRunID
        self.input = input
        self.result = result
        self.changes = changes
        self.computeMilliseconds = computeMilliseconds
        self.trimmed = trimmed
        self.released = released
        self.customers = customers
        self.figures = figures
        skus = figures.skus.map { SKULine(sku: $0.sku, figures: $0.chips) }
        headline = Headline(
            figures: figures.total, heldBacklog: figures.heldBacklog, releasedChips: released.reduce(0) { $0 + $1.quantity })
    }

    /// Demand from the scenario's lines and fixed lots; allocated from the
    /// run's figures.
    static func customers(_ input: PlanInput, _ figures: RunFigures, holdReasons: [String: String]) -> [CustomerLine] {
        let demand = input.openChipsByCustomer()
        let allocated = figures.allocatedByCustomer
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

    /// Internal chips per SKU and week.
    var internalChipsByWeek: [String: [Period: Int]] { figures.internalChipsByWeek }
}

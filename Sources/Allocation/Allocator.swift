/// The capacity allocation engine: the rules of `docs/allocation.md`.
///
/// Pure: no I/O, no clocks, no randomness. Each SKU is allocated week by week
/// over its horizon; whole lots are shared by sequential Sainte-Laguë.
public struct Allocator: Sendable {
    public init() {}

    /// Allocates a scenario. Never fails on a valid scenario: fixed lots a week
    /// cannot hold are released (listed in `released`).
    ///
    /// - Throws: `ScenarioError` when the scenario is invalid.
    public func allocate(_ scenario: Scenario) throws(ScenarioError) -> AllocationResult {
        let index = try ScenarioIndex(scenario)
        let model = EngineModel(scenario, index)
        return Allocator.merge(index.productOrder.map { Allocator.run(model, product: $0) })
    }

    /// The same result as `allocate(_:)`, with the SKUs allocated concurrently
    /// (they are independent).
    public func allocateConcurrently(_ scenario: Scenario) async throws(ScenarioError) -> AllocationResult {
        let index = try ScenarioIndex(scenario)
        let model = EngineModel(scenario, index)
        let order = index.productOrder
        let parts = await withTaskGroup(of: (Int, AllocationResult).self) { group in
            for (n, p) in order.enumerated() {
                group.addTask { (n, Allocator.run(model, product: p)) }
            }
            var parts = [AllocationResult](repeating: AllocationResult(), count: order.count)
            for await (n, r) in group { parts[n] = r }
            return parts
        }
        return Allocator.merge(parts)
    }

    static func run(_ model: EngineModel, product: Int) -> AllocationResult {
        var sku = SKUAllocation(model: model, product: product)
        var part = AllocationResult()
        part.allocations.reserveCapacity(model.linesByProduct[product].count * 5 / 4 + model.fixedByProduct[product].count)
        sku.run(into: &part)
        return part
    }

    /// Joins per-SKU results in SKU order.
    static func merge(_ all: [AllocationResult]) -> AllocationResult {
        if all.count == 1 { return all[0] }
        var result = AllocationResult()
        result.allocations.reserveCapacity(all.reduce(0) { $0 + $1.allocations.count })
        result.customers.reserveCapacity(all.reduce(0) { $0 + $1.customers.count })
        result.backlog.reserveCapacity(all.reduce(0) { $0 + $1.backlog.count })
        for r in all {
            result.allocations += r.allocations
            result.released += r.released
            result.customers += r.customers
            result.backlog += r.backlog
            result.periods += r.periods
            result.unallocated += r.unallocated
        }
        return result
    }
}

/// Per-run data shared by every SKU: customers by rank, lines grouped by SKU.
struct EngineModel: Sendable {
    let scenario: Scenario
    let index: ScenarioIndex
    /// Per customer rank.
    let customerIDs: [String]
    let tier: [Int]
    let isInternal: [Bool]
    let hold: [Bool]
    let weightUnits: [UInt64]
    let weightDen: [UInt64]
    /// The largest of `weightUnits` and of `weightDen`.
    let maxWeightUnits: UInt64, maxWeightDen: UInt64
    /// Per product: its order line indices, ascending.
    var linesByProduct: [[Int32]]
    /// Per product: its fixed rows (indices into `scenario.fixed`).
    var fixedByProduct: [[Int32]]

    init(_ s: Scenario, _ index: ScenarioIndex) {
        scenario = s
        self.index = index
        let customers = index.customerOrder.map { s.customers[$0] }
        customerIDs = customers.map(\.id)
        tier = customers.map(\.tier)
        isInternal = customers.map(\.isInternal)
        hold = customers.map(\.hold)
        weightUnits = customers.map { UInt64($0.weight.units) }
        weightDen = customers.map { UInt64($0.weight.denominator) }
        maxWeightUnits = weightUnits.max() ?? 1
        maxWeightDen = weightDen.max() ?? 1
        var counts = [Int](repeating: 0, count: s.products.count)
        for p in index.lineProduct { counts[Int(p)] += 1 }
        var byProduct = counts.map { n -> [Int32] in var a = [Int32](); a.reserveCapacity(n); return a }
        for (n, p) in index.lineProduct.enumerated() { byProduct[Int(p)].append(Int32(n)) }
        linesByProduct = byProduct
        var fixed = [[Int32]](repeating: [], count: s.products.count)
        for (n, line) in index.fixedLine.enumerated() { fixed[Int(index.lineProduct[Int(line)])].append(Int32(n)) }
        fixedByProduct = fixed
    }
}

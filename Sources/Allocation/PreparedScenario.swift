/// A scenario validated and indexed once, ready to allocate, and to allocate
/// again without some of its lines (a quote: the plan with an order and
/// without it) at the cost of one validation and one index.
public struct PreparedScenario: Sendable {
    let model: EngineModel

    /// Validates and indexes `scenario`.
    ///
    /// - Throws: `ScenarioError` when the scenario is invalid.
    public init(_ scenario: Scenario) throws(ScenarioError) {
        let index = try ScenarioIndex(scenario)
        model = EngineModel(scenario, index)
    }

    init(model: EngineModel) { self.model = model }

    /// The same scenario with the order lines at `positions` (indices into
    /// `scenario.orders`) and their fixed lots left out. A line with nothing
    /// open and no fixed lots is never eligible, never in a tie window, never
    /// in the backlog and adds nothing to any total, so its allocation is
    /// `allocate(_:)` of the scenario without those lines and their fixed rows.
    public func leavingOut(lines positions: [Int]) -> PreparedScenario {
        var scenario = model.scenario
        var leftOut = Set<Int32>()
        for position in positions {
            scenario.orders[position].quantity = 0
            leftOut.insert(Int32(position))
        }
        for (row, line) in model.index.fixedLine.enumerated() where leftOut.contains(line) {
            scenario.fixed[row].quantity = 0
        }
        return PreparedScenario(model: EngineModel(scenario, model.index))
    }

    /// Allocates the scenario: the result of `Allocator.allocate(_:)`.
    public func allocate() -> AllocationResult {
        Allocator.merge(model.index.productOrder.map { Allocator.run(model, product: $0) })
    }
}

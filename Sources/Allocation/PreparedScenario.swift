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

    /// The same scenario without the order lines at `positions` (indices into
    /// `scenario.orders`) and their fixed lots. The engine reaches a line and
    /// a fixed row only through its SKU's lists of them, so a line taken off
    /// those lists is allocated as if the scenario had never held it.
    public func leavingOut(lines positions: [Int]) -> PreparedScenario {
        var model = self.model
        let leftOut = Set(positions.map { Int32($0) })
        for line in leftOut.sorted() {
            let product = Int(model.index.lineProduct[Int(line)])
            // The lists are ascending: find the line by bisection.
            var low = 0, high = model.linesByProduct[product].count
            while low < high {
                let middle = (low + high) / 2
                if model.linesByProduct[product][middle] < line { low = middle + 1 } else { high = middle }
            }
            if low < model.linesByProduct[product].count, model.linesByProduct[product][low] == line {
                model.linesByProduct[product].remove(at: low)
            }
            model.fixedByProduct[product].removeAll { leftOut.contains(model.index.fixedLine[Int($0)]) }
        }
        return PreparedScenario(model: model)
    }

    /// Allocates the scenario: the result of `Allocator.allocate(_:)`.
    public func allocate() -> AllocationResult {
        Allocator.merge(model.index.productOrder.map { Allocator.run(model, product: $0) })
    }
}

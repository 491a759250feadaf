import Jobs

extension RunSummary {
    /// The summary of what an `AllocationJob` did.
    init(_ run: PlanRun) {
        self.init(
            runID: run.runID, previousRunID: run.previousRunID, input: run.input, result: run.result, figures: run.figures,
            changes: run.changes,
            computeMilliseconds: run.computeMilliseconds, trimmed: run.trimmed, released: run.released,
            customers: Self.customers(run.input, run.figures, holdReasons: run.holdReasons))
    }
}

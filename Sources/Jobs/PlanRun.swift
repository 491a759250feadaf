import Allocation
import Store

/// What one `AllocationJob` did: the run it stored (none for a dry run), the
/// input it read, the engine's result and the change from the previous plan.
public struct PlanRun {
    /// The stored run; `nil` for a dry run.
    public let runID: Int?
    /// The current plan before this run, if there was one.
    public let previousRunID: Int?
    public let input: PlanInput
    public let result: AllocationResult
    /// The run's chip figures, summed once (the stored run holds the same).
    public let figures: RunFigures
    /// How long the engine took.
    public let computeMilliseconds: Int
    /// Chips the commit-time check took out of the stored plan (lines that
    /// changed while the run computed); 0 for a dry run.
    public let trimmed: Int
    /// Frozen chips the run gave back (step 2 of the allocation rules), per
    /// line and week, from the engine's result (a dry run has them too).
    public let released: [Release]
    /// Who gained and who lost chips against the previous plan.
    public let changes: [PlanChange]
    /// Why each customer on hold is held (`export compliance pending`, `credit hold`).
    public let holdReasons: [String: String]
}

import Database
import Foundation

extension ReportStore {
    /// The internal floor share (0…1) the run applied, read through `report_runs`.
    ///
    /// - Throws: `NotFound` for an unknown run.
    public func internalFloor(run: Int) throws -> Decimal {
        guard let row = try connection.queryFirst("SELECT internal_floor FROM report_runs WHERE run_id = $1", [run]) else {
            throw NotFound("allocation run \(run)")
        }
        return try row.decode("internal_floor")
    }
}

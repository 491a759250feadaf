import Database
import Foundation
import Store

extension ReportCommand {
    /// The URL reports read from: `--reporting-url`, else
    /// `CHIPSALES_REPORTING_URL`, else `nil` (the database every command uses).
    var reportingTarget: String? {
        if let reportingURL, !reportingURL.isEmpty { return reportingURL }
        if let url = ProcessInfo.processInfo.environment["CHIPSALES_REPORTING_URL"], !url.isEmpty { return url }
        return nil
    }

    /// Connects to the reporting server (or the primary) and runs `body` in
    /// one read-only, repeatable-read transaction, so every figure of the
    /// report comes from one snapshot. A hot standby may cancel the reads
    /// when replaying the primary's changes needs what they see (a
    /// replication conflict): then the report runs once more, on a new
    /// connection when the standby ended the session, and a second conflict
    /// is `StandbyConflict` (exit 75).
    func readingFromStandby<Value>(_ body: (ReportStore) throws -> Value) throws -> Value {
        var connection: Connection?
        for attempt in 1...2 {
            do {
                if connection?.isOpen != true { connection = try connect() }
                return try connection!.transaction(isolation: .repeatableRead) { tx in
                    try tx.execute("SET TRANSACTION READ ONLY")
                    return try body(ReportStore(tx))
                }
            } catch let error as DatabaseError where error.isRecoveryConflict {
                guard attempt < 2 else { throw StandbyConflict(cause: error) }
                connection?.logger.info("the standby cancelled the report (replication conflict); running it again")
            }
        }
        fatalError("unreachable: the second attempt returns or throws")
    }

    private func connect() throws -> Connection {
        guard let target = reportingTarget else { return try database.connect() }
        var options = database
        options.databaseURL = target
        return try options.connect()
    }
}

/// A hot standby cancelled a report twice: replaying the primary's changes
/// (a VACUUM's cleanup, a lock an ALTER took) needed rows or tables the
/// report was reading, for longer than the standby lets queries delay replay.
struct StandbyConflict: Error, CustomStringConvertible {
    let cause: DatabaseError
    var description: String {
        "the standby cancelled the report twice to replay changes from the primary (a replication conflict: \(cause.message)); "
            + "run it again, or have the standby's operator raise max_standby_streaming_delay or turn on hot_standby_feedback"
    }
}

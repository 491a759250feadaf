import Allocation
import ArgumentParser
import Database
import Domain
import Jobs
import Store

/// sysexits(3) statuses this CLI uses.
enum ExitStatus: Int32 {
    /// A value typed on the command line cannot be parsed.
    case usage = 64
    /// Data conflicts with what is stored, or a file is bad.
    case dataError = 65
    /// An input file is missing or cannot be read.
    case noInput = 66
    /// The database cannot be reached, or the connection was lost.
    case unavailable = 69
    /// A defect: nothing the user can change.
    case software = 70
    /// An output file cannot be created.
    case cannotCreate = 73
    /// Output cannot be written (a full disk, a closed descriptor).
    case ioError = 74
    /// A temporary failure: running the command again is safe.
    case tryAgain = 75
    /// The database has no chipsales schema, or migrations are pending.
    case config = 78
}

/// An error the CLI reports itself: one line and a status. Errors of the
/// argument parser (usage, help) are left to it.
struct CommandFailure: Error {
    let message: String
    let status: ExitStatus

    init(message: String, status: ExitStatus) {
        self.message = message
        self.status = status
    }

    /// Classifies an error; `nil` for the argument parser's own errors.
    init?(_ error: Error) {
        switch error {
        case let failure as CommandFailure:
            self = failure
        case let database as DatabaseError:
            self.init(database)
        case let migration as MigrationError:
            // A schema folder that cannot be read is missing input; the rest are bad files.
            if case .invalidFolder = migration {
                self.init(message: migration.description, status: .noInput)
            } else {
                self.init(message: migration.description, status: .dataError)
            }
        case let failure as ValidationFailure:
            // A value typed on the command line that cannot be read is a usage
            // error; one that was read and refused is bad data.
            self.init(message: failure.description, status: failure.kind == .malformed ? .usage : .dataError)
        case let file as InputFileError:
            self.init(message: file.description, status: .noInput)
        case let failures as ValidationFailures:
            self.init(message: failures.description, status: .dataError)
        case let missing as NotFound:
            self.init(message: missing.description, status: .dataError)
        case let conflict as OrderConflict:
            self.init(message: conflict.description, status: .dataError)
        case let unquoted as UnquotedOrder:
            // `order create --quote`: the order is stored all the same; the quote's failure decides the status.
            guard let failure = CommandFailure(unquoted.error) else { return nil }
            self.init(message: unquoted.sentence(reason: failure.message), status: failure.status)
        case let conflict as StandbyConflict:
            self.init(message: conflict.description, status: .tryAgain)
        case let busy as RunInProgress:
            self.init(message: busy.description, status: .tryAgain)
        case let changed as ImportFileChanged:
            self.init(message: changed.description, status: .tryAgain)
        case let output as OutputFailure:
            self.init(message: output.description, status: output.kind == .cannotCreate ? .cannotCreate : .ioError)
        case let schema as SchemaNotReady:
            self.init(message: schema.description, status: .config)
        case let inconsistency as StoreInconsistency:
            // A row written behind the schema's constraints: nothing the
            // command's input can change, and nothing is guessed in its place.
            self.init(message: inconsistency.description, status: .software)
        case let mismatch as RunResultMismatch:
            self.init(message: mismatch.description, status: .software)
        case let scenario as ScenarioError:
            // Scenario files are checked by `allocate simulate` itself; this is
            // the engine refusing what a run or a quote read from the database.
            self.init(message: "the stored data cannot be allocated: \(scenario)", status: .dataError)
        default:
            return nil
        }
    }

    init(_ error: DatabaseError) {
        if error.kind == .invalidConnectionString {
            self.init(message: error.message, status: .usage)
        } else if error.sqlState?.isUndefinedObject == true {
            // Our tables, columns, types or functions are missing: the schema
            // is missing or older than this binary (when it could not tell
            // before, having no schema/ folder to compare with).
            self.init(message: SchemaNotReady(.missingObject(error.message)).description, status: .config)
        } else if error.isRecoveryConflict {
            // Before the connection-loss cases: a standby ends an idle
            // transaction's session for a conflict (FATAL, 40001).
            self.init(
                message: "the standby cancelled the reads to replay changes from the primary (a replication conflict: \(error.message)); nothing was stored: run the command again",
                status: .tryAgain)
        } else if error.sqlState == .readOnlySQLTransaction {
            // A write sent to a hot standby (a reporting URL used for an
            // operator's command): the server cannot take it until it is
            // promoted, so running it again as it is does not help (69, not 75).
            self.init(
                message: error.serverIsStandby
                    ? "this server is a read-only standby; nothing was stored: run the command against the primary (DATABASE_URL or --database-url, not the reporting URL)"
                    : "this server refused the change as read-only (\(error.message)); nothing was stored: run the command against a server that takes writes",
                status: .unavailable)
        } else if error.isConnectionLoss && error.nothingCommitted {
            self.init(
                message: "the connection to the database was lost (\(error.message)); nothing was stored: run the command again",
                status: .tryAgain)
        } else if error.isConnectionLoss && error.commitUncertain {
            self.init(
                message: "the connection to the database was lost while committing (\(error.message)); the change may or may not be stored: check before running the command again",
                status: .unavailable)
        } else if error.isConnectionLoss {
            self.init(message: "the connection to the database was lost (\(error.message))", status: .unavailable)
        } else if error.isUnavailable {
            self.init(message: "database unavailable: \(error.message)", status: .unavailable)
        } else if error.isRetryable || error.sqlState == .lockNotAvailable || error.sqlState == .queryCanceled {
            self.init(message: "\(error); try again", status: .tryAgain)
        } else if let state = error.sqlState,
                  state.isIntegrityViolation || state.errorClass == "22" || state == .raiseException {
            self.init(message: error.description, status: .dataError)
        } else {
            self.init(message: error.description, status: .software)
        }
    }

}

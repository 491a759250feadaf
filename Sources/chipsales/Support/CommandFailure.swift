import ArgumentParser
import Database
import Domain
import Store

/// sysexits(3) statuses this CLI uses.
enum ExitStatus: Int32 {
    case usage = 64
    case dataError = 65
    case noInput = 66
    case unavailable = 69
    case software = 70
    case tryAgain = 75
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
            self.init(message: migration.description, status: .dataError)
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
        case let busy as RunInProgress:
            self.init(message: busy.description, status: .tryAgain)
        default:
            return nil
        }
    }

    init(_ error: DatabaseError) {
        if error.isUnavailable {
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

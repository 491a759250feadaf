import ArgumentParser
import Database
import Foundation
import Logging

/// Options every command that touches the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "libpq connection string or URI (default: DATABASE_URL, else the PG* variables). Prefer DATABASE_URL or .pgpass for passwords.",
        valueName: "url"))
    var databaseURL: String?

    @Option(name: .long, help: ArgumentHelp("Seconds to wait when connecting.", valueName: "seconds"))
    var connectTimeout: Int = 10

    @Option(name: .long, help: ArgumentHelp("Milliseconds a statement may run (0: no limit).", valueName: "ms"))
    var statementTimeout: Int = 0

    @Flag(name: .long, help: "Log progress to stderr.")
    var verbose = false

    func validate() throws {
        guard connectTimeout >= 0 else { throw ValidationError("--connect-timeout must be 0 or more seconds") }
        guard statementTimeout >= 0 else { throw ValidationError("--statement-timeout must be 0 or more milliseconds") }
    }

    var configuration: ConnectionConfiguration {
        var configuration = ConnectionConfiguration.fromEnvironment(ProcessInfo.processInfo.environment, override: databaseURL)
        configuration.connectTimeoutSeconds = connectTimeout == 0 ? nil : connectTimeout
        configuration.statementTimeoutMilliseconds = statementTimeout
        return configuration
    }

    var logger: Logger {
        LogSetup.bootstrapOnce()
        var logger = Logger(label: "chipsales")
        logger.logLevel = verbose ? .info : .warning
        return logger
    }

    /// Opens a connection; an unreachable database becomes exit 69.
    func connect() throws -> Connection {
        try Connection(configuration: configuration, logger: logger)
    }
}

enum LogSetup {
    private static let once: Void = {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
    }()

    /// Sends logs to stderr; results go to stdout so they can be piped.
    static func bootstrapOnce() { _ = once }
}

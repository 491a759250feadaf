import ArgumentParser
import Database
import Foundation
import Logging
import Store

/// Options every command that touches the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "libpq connection string or URI (default: DATABASE_URL, else the PG* variables). Prefer DATABASE_URL or .pgpass for passwords.",
        valueName: "url"))
    var databaseURL: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Seconds to wait when connecting.", valueName: "seconds"))
    var connectTimeout: Int = 10

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Milliseconds a statement may run (0: the server's own limit, by default none).", valueName: "ms"))
    var statementTimeout: Int = 0

    @Flag(name: .long, help: "Log progress to stderr.")
    var verbose = false

    func validate() throws {
        // libpq and the server hold these in 32-bit integers.
        guard (0...86_400).contains(connectTimeout) else {
            throw ValidationError("--connect-timeout must be from 0 to 86400 seconds (got \(connectTimeout))")
        }
        guard (0...Int(Int32.max)).contains(statementTimeout) else {
            throw ValidationError("--statement-timeout must be from 0 to \(Int32.max) milliseconds (got \(statementTimeout))")
        }
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

    /// Opens a connection; an unreachable database becomes exit 69. Unless
    /// `checkingSchema` is false (`db migrate`, `db status`), a database
    /// without the chipsales schema or with pending migrations is refused
    /// with exit 78 and what to run.
    func connect(checkingSchema: Bool = true) throws -> Connection {
        let connection = try Connection(configuration: configuration, logger: logger)
        if checkingSchema {
            try SchemaCheck.verify(on: connection, migrations: SchemaCheck.knownMigrations())
        }
        return connection
    }
}

enum LogSetup {
    private static let once: Void = {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
    }()

    /// Sends logs to stderr; results go to stdout so they can be piped.
    static func bootstrapOnce() { _ = once }
}

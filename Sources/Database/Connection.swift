import CLibPQ
import Foundation
import Logging

/// One connection to PostgreSQL.
///
/// A connection is used by one thread at a time, so it is deliberately not
/// `Sendable`: the compiler keeps it where it was made. It owns its libpq
/// handle and finishes it in exactly one place, `deinit`, also when
/// connecting failed.
///
/// Statements are always sent with parameters kept apart from the SQL text
/// (`PQexecParams`); there is no API that splices values into SQL.
public final class Connection {
    let handle: OpaquePointer
    let secrets: [String]
    public let logger: Logger
    /// How this connection was made (for `sibling()`); its timeouts apply
    /// per transaction (see `transaction`).
    public let configuration: ConnectionConfiguration

    /// Connects and pins the session settings this project relies on:
    /// UTF-8, UTC and ISO dates, the parameters a pooler such as PgBouncer
    /// tracks per client and restores on whichever server connection it
    /// lends. Nothing else is set for the session: the configured timeouts
    /// are set per transaction, so that they hold through a pooler in
    /// transaction mode and never leak to its other clients.
    ///
    /// - Throws: `DatabaseError` with kind `.connectionFailed` when the
    ///   server cannot be reached or refuses the connection.
    public init(configuration: ConnectionConfiguration, logger: Logger = Logger(label: "chipsales.database")) throws {
        self.logger = logger
        self.secrets = configuration.secrets
        self.configuration = configuration
        // A string libpq cannot parse is refused before connecting: libpq's
        // own error would quote it, password and all.
        if let problem = configuration.parseProblem {
            throw DatabaseError(
                kind: .invalidConnectionString,
                message: "the database connection string cannot be parsed (\(problem)); it is not shown, as it may hold a password")
        }
        // Our defaults come first so that anything the connection string says wins,
        // except the client encoding, which this layer needs to be UTF-8.
        var keywords: [String] = ["application_name", "fallback_application_name"]
        var values: [String] = [configuration.applicationName, configuration.applicationName]
        if let seconds = configuration.connectTimeoutSeconds {
            keywords.append("connect_timeout")
            values.append(String(seconds))
        }
        if let connectionString = configuration.connectionString {
            keywords.append("dbname")
            values.append(connectionString)
        }
        keywords.append("client_encoding")
        values.append("UTF8")
        handle = Connection.connect(keywords: keywords, values: values)
        guard PQstatus(handle) == CONNECTION_OK else {
            // deinit finishes the handle: a class whose init throws after
            // every property is set is deinitialized like any other.
            let text = Connection.errorText(handle).redacting(secrets)
            throw DatabaseError(kind: .connectionFailed, message: "cannot connect to the database: \(text)")
        }
        PQsetNoticeReceiver(handle, { context, result in
            guard let context, let result else { return }
            let connection = Unmanaged<Connection>.fromOpaque(context).takeUnretainedValue()
            let text = PQresultErrorMessage(result).map { String(cString: $0) } ?? ""
            connection.logger.debug("server notice", metadata: ["notice": "\(text.trimmingCharacters(in: .whitespacesAndNewlines))"])
        }, Unmanaged.passUnretained(self).toOpaque())
        try pinSessionSettings(configuration)
    }

    deinit {
        PQfinish(handle)
    }

    private static func connect(keywords: [String], values: [String]) -> OpaquePointer {
        let cKeywords = keywords.map { strdup($0) }
        let cValues = values.map { strdup($0) }
        defer {
            cKeywords.forEach { free($0) }
            cValues.forEach { free($0) }
        }
        var keywordPointers = cKeywords.map { UnsafePointer<CChar>($0) } + [nil]
        var valuePointers = cValues.map { UnsafePointer<CChar>($0) } + [nil]
        // PQconnectdbParams returns NULL only when it cannot allocate memory.
        guard let handle = PQconnectdbParams(&keywordPointers, &valuePointers, 1) else {
            fatalError("libpq could not allocate a connection object")
        }
        return handle
    }

    /// Only parameters PgBouncer tracks per client (client_encoding,
    /// DateStyle, TimeZone): it sets them again on every server connection
    /// it lends this client, so they hold through a pooler in transaction
    /// mode. (No statement here reads intervals, whose style a pooler
    /// would not carry.)
    private func pinSessionSettings(_ configuration: ConnectionConfiguration) throws {
        let settings: [(String, String)] = [
            ("TimeZone", "UTC"),
            ("DateStyle", "ISO, YMD"),
            ("client_encoding", "UTF8"),
        ]
        for (name, value) in settings {
            try execute("SELECT set_config($1, $2, false)", [name, value])
        }
    }

    /// The timeouts to set in each transaction, as `set_config` arguments;
    /// empty when none is configured (the server's own settings apply).
    var transactionSettings: [(String, String)] {
        var settings: [(String, String)] = []
        if configuration.statementTimeoutMilliseconds > 0 {
            settings.append(("statement_timeout", String(configuration.statementTimeoutMilliseconds)))
        }
        if configuration.lockTimeoutMilliseconds > 0 {
            settings.append(("lock_timeout", String(configuration.lockTimeoutMilliseconds)))
        }
        return settings
    }

    /// A new connection made the same way as this one (same server, login
    /// and settings), e.g. to hold a lock in a transaction of its own.
    public func sibling() throws -> Connection {
        try Connection(configuration: configuration, logger: logger)
    }

    /// True while a transaction is open on this connection.
    public var inTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// The text libpq holds for the last error on this connection.
    static func errorText(_ handle: OpaquePointer) -> String {
        guard let text = PQerrorMessage(handle) else { return "unknown error" }
        return oneLine(String(cString: text))
    }

    /// libpq's messages span lines ("server closed the connection
    /// unexpectedly\n\tThis probably means…"); logs and the CLI keep them on one.
    static func oneLine(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: "; ")
    }

    /// True while the connection is usable.
    public var isOpen: Bool { PQstatus(handle) == CONNECTION_OK }

    /// The server's process id for this session (for `pg_cancel_backend` in tests and tools).
    public var backendProcessID: Int32 { PQbackendPID(handle) }

    // MARK: Statements

    /// Runs one statement with parameters and returns all its rows.
    ///
    /// Parameters are sent as text, apart from the SQL, with their types
    /// inferred by the server (write `$1::numeric` where the SQL needs a type).
    ///
    /// With a statement or lock timeout configured, a statement sent outside
    /// a transaction runs in one of its own, which sets the timeouts first.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [(any SQLParameter)?] = []) throws -> QueryResult {
        if !transactionSettings.isEmpty && !inTransaction {
            return try transaction { try $0.execute(sql, parameters) }
        }
        let result = try send(sql, parameters)
        return try QueryResult(taking: result, connection: self)
    }

    /// Runs one statement and returns its first row, or `nil` when it returned none.
    public func queryFirst(_ sql: String, _ parameters: [(any SQLParameter)?] = []) throws -> Row? {
        try execute(sql, parameters).first
    }

    /// Runs a statement that returns exactly one row (an aggregate, a
    /// function call, `RETURNING` of one insert) and returns that row; throws
    /// `DatabaseError` of kind `.unexpectedRowCount` when it returned none or several.
    public func queryOne(_ sql: String, _ parameters: [(any SQLParameter)?] = []) throws -> Row {
        let result = try execute(sql, parameters)
        guard result.count == 1, let row = result.first else {
            throw DatabaseError(
                kind: .unexpectedRowCount,
                message: "the statement returned \(result.count) rows where exactly one was expected: \(Self.firstLine(of: sql))")
        }
        return row
    }

    /// The first line of a statement, to name it in an error without its parameters.
    static func firstLine(of sql: String) -> String {
        let line = sql.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return line.count > 80 ? String(line.prefix(80)) + "…" : line
    }

    /// Runs trusted, static SQL that may hold several statements (migration
    /// files). Never pass text that contains user input: use `execute`.
    public func executeScript(_ sql: StaticOrTrustedSQL) throws {
        guard let result = PQexec(handle, sql.text) else { throw lostConnection() }
        defer { PQclear(result) }
        try check(result, expecting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY])
    }

    private func send(_ sql: String, _ parameters: [(any SQLParameter)?]) throws -> OpaquePointer {
        let texts: [String?] = parameters.map { $0?.sqlText }
        let cTexts: [UnsafeMutablePointer<CChar>?] = texts.map { $0.map { strdup($0) } ?? nil }
        defer { cTexts.forEach { free($0) } }
        let pointers = cTexts.map { UnsafePointer<CChar>($0) }
        let result = pointers.withUnsafeBufferPointer { buffer in
            PQexecParams(handle, sql, Int32(buffer.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        guard let result else { throw lostConnection() }
        do {
            try check(result, expecting: [PGRES_COMMAND_OK, PGRES_TUPLES_OK])
        } catch {
            PQclear(result)
            throw error
        }
        return result
    }

    /// Throws the error a result carries unless its status is one of `expected`.
    /// Does not clear the result.
    func check(_ result: OpaquePointer, expecting expected: [ExecStatusType]) throws {
        let status = PQresultStatus(result)
        if expected.contains(status) { return }
        throw error(from: result)
    }

    /// The error a failed result describes, read before the result is cleared.
    func error(from result: OpaquePointer) -> DatabaseError {
        func field(_ code: Int32) -> String? {
            guard let value = PQresultErrorField(result, code) else { return nil }
            return String(cString: value).redacting(secrets)
        }
        let state = field(CLIBPQ_DIAG_SQLSTATE).map(SQLState.init(rawValue:))
        let primary = field(CLIBPQ_DIAG_MESSAGE_PRIMARY)
        let message = Connection.oneLine(primary ?? {
            let text = PQresultErrorMessage(result).map { String(cString: $0) } ?? ""
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? Connection.errorText(handle) : trimmed
        }().redacting(secrets))
        // A statement after which the connection is gone (a FATAL error such
        // as 57P01, or libpq's "server closed the connection") lost it,
        // whatever SQLSTATE came with it.
        let kind: DatabaseError.Kind = isOpen ? .server : .connectionLost
        var error = DatabaseError(
            kind: kind, sqlState: state, message: message,
            detail: field(CLIBPQ_DIAG_MESSAGE_DETAIL), hint: field(CLIBPQ_DIAG_MESSAGE_HINT),
            constraint: field(CLIBPQ_DIAG_CONSTRAINT_NAME), table: field(CLIBPQ_DIAG_TABLE_NAME),
            column: field(CLIBPQ_DIAG_COLUMN_NAME))
        error.context = field(CLIBPQ_DIAG_CONTEXT)
        if state == .readOnlySQLTransaction { error.serverIsStandby = isHotStandby }
        return error
    }

    /// True when the server is a hot standby: the `in_hot_standby` parameter
    /// it reports (PostgreSQL 14 and later), else `pg_is_in_recovery()` when
    /// a statement can still be sent.
    var isHotStandby: Bool {
        if let value = PQparameterStatus(handle, "in_hot_standby") {
            return String(cString: value) == "on"
        }
        guard isOpen, PQtransactionStatus(handle) == PQTRANS_IDLE, let result = PQexec(handle, "SELECT pg_is_in_recovery()") else { return false }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_TUPLES_OK, PQntuples(result) == 1, let value = PQgetvalue(result, 0, 0) else { return false }
        return String(cString: value) == "t"
    }

    func lostConnection() -> DatabaseError {
        let text = Connection.errorText(handle).redacting(secrets)
        return DatabaseError(kind: isOpen ? .misuse : .connectionLost, message: "database connection failed: \(text)")
    }
}

/// SQL text that the program itself owns (a literal, or a migration file
/// shipped with it). The type exists so that no call site can pass user
/// input to `executeScript` by accident.
public struct StaticOrTrustedSQL: Sendable, ExpressibleByStringLiteral {
    let text: String
    public init(stringLiteral value: StaticString) { text = "\(value)" }
    /// SQL read from a file the program ships (a migration).
    public init(trustedFile text: String) { self.text = text }
}

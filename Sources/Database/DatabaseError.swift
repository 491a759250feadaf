/// An error from the database layer.
///
/// It carries what a caller needs to decide what to do (the SQLSTATE, the
/// constraint, table and column the server named) and what a user needs to
/// read (message, detail, hint). Its printed form never contains a password
/// or a connection string.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, broadly.
    public enum Kind: Sendable, Equatable {
        /// The connection string or URI cannot be parsed.
        case invalidConnectionString
        /// The server could not be reached or refused the connection.
        case connectionFailed
        /// The connection broke while a command was running.
        case connectionLost
        /// The server reported an error for a statement (see `sqlState`).
        case server
        /// A row value could not be decoded into the requested Swift type.
        case decoding
        /// A COPY transfer failed on the client side.
        case copy
        /// The client was used in a way libpq or this layer does not allow.
        case misuse
        /// A statement that must return exactly one row returned none or
        /// several (`Connection.queryOne`).
        case unexpectedRowCount
    }

    public var kind: Kind
    /// The five-character SQLSTATE, when the server sent one.
    public var sqlState: SQLState?
    /// The primary, human-readable message.
    public var message: String
    /// The server's optional detail line.
    public var detail: String?
    /// The server's optional hint line.
    public var hint: String?
    /// The constraint the server named (for integrity violations).
    public var constraint: String?
    /// The table the server named.
    public var table: String?
    /// The column the server named, or the result column a decoding error is about.
    public var column: String?
    /// Where the server was when it failed (e.g. `COPY staging, line 5`).
    public var context: String?
    /// For a lost connection: true when it broke inside a transaction
    /// before COMMIT was sent, so the server rolled everything back and
    /// running the command again is safe.
    public var nothingCommitted = false
    /// For a lost connection: true when it broke while COMMIT was under
    /// way, so the transaction may or may not have been committed.
    public var commitUncertain = false
    /// True when the server that reported the error is a hot standby
    /// (recovering from the primary's WAL, so it takes no writes).
    public var serverIsStandby = false

    public init(
        kind: Kind, sqlState: SQLState? = nil, message: String, detail: String? = nil,
        hint: String? = nil, constraint: String? = nil, table: String? = nil, column: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    /// True when retrying the whole transaction may succeed (serialization
    /// failure or deadlock).
    public var isRetryable: Bool {
        sqlState == .serializationFailure || sqlState == .deadlockDetected
    }

    /// True when a hot standby cancelled the statement (or ended the
    /// session) because replaying the primary's changes needed what it read:
    /// a replication conflict, SQLSTATE 40001 or 40P01 with PostgreSQL's
    /// "… due to conflict with recovery" message. Running the reads again
    /// usually succeeds.
    public var isRecoveryConflict: Bool {
        guard sqlState == .serializationFailure || sqlState == .deadlockDetected else { return false }
        return message.contains("conflict with recovery")
    }

    /// True when the database is unreachable or went away: connection
    /// failures, SQLSTATE class 08, and server shutdown codes.
    public var isUnavailable: Bool {
        kind == .connectionFailed || isConnectionLoss
    }

    /// True when an established connection broke (the server restarted,
    /// the backend was terminated, the network went away).
    public var isConnectionLoss: Bool {
        if kind == .connectionLost { return true }
        guard let code = sqlState else { return false }
        return code.errorClass == "08" || code == .adminShutdown || code == .crashShutdown
            || code == .cannotConnectNow
    }

    public var description: String {
        var text: String
        if let code = sqlState {
            text = "\(message) (SQLSTATE \(code.rawValue))"
        } else {
            text = message
        }
        if let detail, !detail.isEmpty { text += ": \(detail)" }
        return text
    }
}

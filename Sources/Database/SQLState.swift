/// A PostgreSQL SQLSTATE error code, such as `23505` (unique violation).
///
/// The well-known codes this project reacts to are named; any other code
/// is still kept and printed.
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// The two-character class, e.g. `23` for integrity constraint violations.
    public var errorClass: Substring { rawValue.prefix(2) }

    /// True for class 23 (integrity constraint violation).
    public var isIntegrityViolation: Bool { errorClass == "23" }

    /// True for an undefined table, column, type or function: the schema
    /// lacks something the statement names.
    public var isUndefinedObject: Bool {
        self == .undefinedTable || self == .undefinedColumn || self == .undefinedObject || self == .undefinedFunction
    }

    public var description: String { rawValue }

    public static let uniqueViolation = SQLState(rawValue: "23505")
    public static let foreignKeyViolation = SQLState(rawValue: "23503")
    public static let checkViolation = SQLState(rawValue: "23514")
    public static let notNullViolation = SQLState(rawValue: "23502")
    public static let exclusionViolation = SQLState(rawValue: "23P01")
    public static let serializationFailure = SQLState(rawValue: "40001")
    public static let deadlockDetected = SQLState(rawValue: "40P01")
    /// A write in a read-only transaction, or sent to a hot standby.
    public static let readOnlySQLTransaction = SQLState(rawValue: "25006")
    public static let lockNotAvailable = SQLState(rawValue: "55P03")
    public static let queryCanceled = SQLState(rawValue: "57014")
    public static let adminShutdown = SQLState(rawValue: "57P01")
    public static let crashShutdown = SQLState(rawValue: "57P02")
    public static let cannotConnectNow = SQLState(rawValue: "57P03")
    public static let raiseException = SQLState(rawValue: "P0001")
    public static let invalidTextRepresentation = SQLState(rawValue: "22P02")
    public static let numericValueOutOfRange = SQLState(rawValue: "22003")
    public static let undefinedTable = SQLState(rawValue: "42P01")
    public static let undefinedColumn = SQLState(rawValue: "42703")
    public static let undefinedObject = SQLState(rawValue: "42704")
    public static let undefinedFunction = SQLState(rawValue: "42883")
    public static let insufficientPrivilege = SQLState(rawValue: "42501")
    public static let badCopyFileFormat = SQLState(rawValue: "22P04")
    public static let characterNotInRepertoire = SQLState(rawValue: "22021")
}

import Database
import Foundation

/// Checks, before a command touches any table, that the database has the
/// chipsales schema and every migration this binary ships, so that an
/// unmigrated database answers with what to do instead of a raw
/// "relation … does not exist".
public enum SchemaCheck {
    /// Throws `SchemaNotReady` when `schema_migrations` is missing or empty,
    /// or when a migration of `migrations` is not applied. With `migrations`
    /// `nil` (the binary cannot find its schema/ folder), only a missing
    /// schema is detected. A login that may not read `schema_migrations`
    /// (a reporting login) is checked for a missing schema only.
    public static func verify(on connection: Connection, migrations: [Migration]?) throws {
        guard let row = try connection.queryFirst(
            """
            SELECT to_regclass('schema_migrations') IS NOT NULL AS present,
                   coalesce(has_table_privilege(to_regclass('schema_migrations'), 'SELECT'), false) AS readable
            """) else { return }
        guard try row.decode("present", as: Bool.self) else { throw SchemaNotReady(.missing) }
        guard try row.decode("readable", as: Bool.self) else { return }
        let applied = Set(try connection.execute("SELECT version FROM schema_migrations").map { try $0.decode("version", as: Int.self) })
        if applied.isEmpty { throw SchemaNotReady(.missing) }
        let pending = (migrations ?? []).filter { !applied.contains($0.version) }.map(\.name)
        if !pending.isEmpty { throw SchemaNotReady(.pending(pending)) }
    }

    /// The migrations of the schema/ folder this binary finds
    /// (`CHIPSALES_SCHEMA_DIR`, else its checkout), or `nil` when there is none.
    public static func knownMigrations(environment: [String: String] = ProcessInfo.processInfo.environment) -> [Migration]? {
        guard let folder = Migration.locateSchemaFolder(environment: environment) else { return nil }
        return try? Migration.load(from: folder)
    }
}

/// The database is not ready for this binary: it has no chipsales schema,
/// or migrations are pending. `chipsales db migrate` fixes both (exit 78).
public struct SchemaNotReady: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// No migration was ever applied to this database.
        case missing
        /// These migrations (file names) are not applied yet.
        case pending([String])
        /// A table, column, type or function the command needs does not
        /// exist (the server's message); the schema is missing or behind.
        case missingObject(String)
    }

    public let reason: Reason

    public init(_ reason: Reason) { self.reason = reason }

    public var description: String {
        switch reason {
        case .missing:
            return "the database has no chipsales schema: run `chipsales db migrate` to create it"
        case .pending(let names):
            let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : "")
            let count = names.count == 1 ? "1 migration is" : "\(names.count) migrations are"
            return "\(count) pending (\(shown)): run `chipsales db migrate` to apply \(names.count == 1 ? "it" : "them")"
        case .missingObject(let message):
            return "\(message): the database's chipsales schema is missing or behind this binary; run `chipsales db migrate`"
        }
    }
}

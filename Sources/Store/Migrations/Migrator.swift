import Database
import Foundation
import Logging

/// Applies the numbered SQL files of `schema/` and records them in
/// `schema_migrations` (version, name, checksum, time).
///
/// Each file runs in its own transaction, which first takes a
/// transaction-level advisory lock and checks that no other migrator applied
/// the file meanwhile, so no file is ever applied twice. No lock outlives a
/// transaction, so migrating through a pooler in transaction mode
/// (PgBouncer) is as safe as migrating directly. An applied file whose
/// checksum changed is refused.
public struct Migrator {
    /// The state of one migration, for `db status`.
    public struct Status: Sendable, Equatable {
        public let version: Int
        public let name: String
        public let checksum: String
        /// When it was applied; `nil` while pending.
        public let appliedAt: Date?
        public var isApplied: Bool { appliedAt != nil }
    }

    /// Key of the advisory lock that serializes migrators (an arbitrary constant: "chipsmig").
    static let lockKey = 0x6368_6970_736D_6967

    public let migrations: [Migration]
    private let logger: Logger

    public init(migrations: [Migration], logger: Logger = Logger(label: "chipsales.migrate")) {
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies every pending migration; returns the names applied (empty when
    /// the database was up to date).
    @discardableResult
    public func migrate(on connection: Connection) throws -> [String] {
        try connection.transaction { tx in
            try tx.execute("SELECT pg_advisory_xact_lock($1)", [Self.lockKey])
            try ensureTable(on: tx)
        }
        var applied: [String] = []
        for entry in try status(on: connection) where !entry.isApplied {
            guard let migration = migrations.first(where: { $0.version == entry.version }) else { continue }
            let done = try connection.transaction { tx -> Bool in
                try tx.execute("SELECT pg_advisory_xact_lock($1)", [Self.lockKey])
                // Another migrator may have applied it while this one waited.
                if try tx.queryFirst("SELECT 1 AS applied FROM schema_migrations WHERE version = $1", [migration.version]) != nil {
                    return false
                }
                logger.info("applying migration", metadata: ["name": "\(migration.name)"])
                // Once the owner role may create objects in this database
                // (migration 004 sets that up), every migration runs as it,
                // so new objects belong to it too.
                try tx.execute(
                    """
                    SELECT set_config('role', 'chipsales_owner', true)
                    WHERE EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'chipsales_owner')
                      AND pg_has_role(current_user, 'chipsales_owner', 'MEMBER')
                      AND has_schema_privilege('chipsales_owner', 'public', 'CREATE')
                    """)
                try tx.executeScript(StaticOrTrustedSQL(trustedFile: migration.sql))
                try tx.execute(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    [migration.version, migration.name, entry.checksum])
                return true
            }
            if done { applied.append(migration.name) }
        }
        return applied
    }

    /// Every migration, applied or pending, in version order.
    ///
    /// - Throws: `MigrationError.checksumMismatch` when an applied file changed,
    ///   `.unknownApplied` when the database has one the folder lacks.
    public func status(on connection: Connection) throws -> [Status] {
        var recorded: [Int: (name: String, checksum: String, at: Date)] = [:]
        let exists = try connection.queryFirst("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        if try exists?.decode("present", as: Bool.self) == true {
            for row in try connection.execute("SELECT version, name, checksum, applied_at FROM schema_migrations") {
                recorded[try row.decode("version")] = (
                    try row.decode("name"), try row.decode("checksum"), try row.decode("applied_at"))
            }
        }
        var result: [Status] = []
        for migration in migrations {
            let checksum = try Self.checksum(of: migration.sql, on: connection)
            if let record = recorded.removeValue(forKey: migration.version) {
                guard record.checksum == checksum else {
                    throw MigrationError.checksumMismatch(name: migration.name, applied: record.checksum, current: checksum)
                }
                result.append(Status(version: migration.version, name: migration.name, checksum: checksum, appliedAt: record.at))
            } else {
                result.append(Status(version: migration.version, name: migration.name, checksum: checksum, appliedAt: nil))
            }
        }
        if let stray = recorded.values.map(\.name).sorted().first {
            throw MigrationError.unknownApplied(name: stray)
        }
        return result
    }

    /// SHA-256 of the file's UTF-8 bytes, in hex, computed by the server
    /// (PostgreSQL's `sha256()`), so no crypto library is needed here.
    static func checksum(of sql: String, on connection: Connection) throws -> String {
        let row = try connection.queryFirst("SELECT encode(sha256(convert_to($1::text, 'UTF8')), 'hex') AS sum", [sql])
        return try row!.decode("sum")
    }

    private func ensureTable(on connection: Connection) throws {
        try connection.executeScript("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer     PRIMARY KEY CHECK (version > 0),
                name       text        NOT NULL UNIQUE,
                checksum   text        NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
    }
}

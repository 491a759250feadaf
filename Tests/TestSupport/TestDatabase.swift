import Database
import Foundation
import Logging
import Store

/// A private database for one test, created on the server `scripts/test`
/// points `DATABASE_URL` at, and dropped by `drop()`.
///
/// Tests never share a database, so they can run in parallel. With
/// `CHIPSALES_TEST_POOLER_URL` set (scripts/test's pass through PgBouncer),
/// `url` reaches the database through that pooler.
public struct TestDatabase: Sendable {
    /// The database's name (`chipsales_test_…`).
    public let name: String
    /// A connection URI or string that reaches this database.
    public let url: String

    /// Problems setting up the test database.
    public struct SetupError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The server's URL from the environment; a missing one is an error, never a skip.
    public static func serverURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            throw SetupError(description: "DATABASE_URL is not set: run the tests with scripts/test, which starts a throwaway PostgreSQL")
        }
        return url
    }

    /// Creates an empty database, migrated with the project's schema unless `migrated` is false.
    public static func make(migrated: Bool = true) throws -> TestDatabase {
        let server = try serverURL()
        let name = "chipsales_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = try Connection(configuration: ConnectionConfiguration(connectionString: server))
        // Identifiers cannot be parameters; this name is made here from a UUID, never from input.
        try admin.executeScript(StaticOrTrustedSQL(trustedFile: "CREATE DATABASE \(name) TEMPLATE template0 ENCODING 'UTF8'"))
        // Through the pooler when scripts/test runs the CLI suites once more
        // through PgBouncer: everything the test does in its database goes
        // through it; creating and dropping databases does not.
        let pooler = ProcessInfo.processInfo.environment["CHIPSALES_TEST_POOLER_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let database = TestDatabase(name: name, url: Self.url(pooler ?? server, database: name))
        if migrated {
            let connection = try database.connect()
            var quiet = Logger(label: "chipsales.test")
            quiet.logLevel = .error
            try Migrator(migrations: try Migration.load(from: schemaFolder()), logger: quiet).migrate(on: connection)
        }
        return database
    }

    /// The project's schema/ folder.
    public static func schemaFolder() throws -> URL {
        guard let folder = Migration.locateSchemaFolder() else {
            throw SetupError(description: "cannot find schema/; set CHIPSALES_SCHEMA_DIR")
        }
        return folder
    }

    /// Opens a new connection to this database.
    public func connect(statementTimeoutMilliseconds: Int = 0) throws -> Connection {
        try Connection(configuration: ConnectionConfiguration(
            connectionString: url, statementTimeoutMilliseconds: statementTimeoutMilliseconds))
    }

    /// Drops the database, ending any session still connected to it.
    public func drop() {
        guard let server = try? Self.serverURL(), let admin = try? Connection(configuration: ConnectionConfiguration(connectionString: server)) else { return }
        _ = try? admin.executeScript(StaticOrTrustedSQL(trustedFile: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
    }

    /// This database's URL for another login role (`user=` in the URI's query).
    /// The roles tests create log in without a password, as the throwaway
    /// cluster of scripts/test trusts local connections.
    public func url(asUser user: String) -> String {
        guard url.hasPrefix("postgres") else { return url + " user=" + user }
        var parts = url.split(separator: "?", maxSplits: 1).map(String.init)
        var query = parts.count > 1 ? parts[1].split(separator: "&").map(String.init).filter { !$0.hasPrefix("user=") } : []
        query.append("user=" + user)
        parts = [parts[0], query.joined(separator: "&")]
        return parts.joined(separator: "?")
    }

    /// Creates a login role that is a member of `group` and returns its name;
    /// it is dropped with `dropRole`.
    public func makeLogin(in group: String) throws -> String {
        let name = "chipsales_login_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let admin = try connect()
        // Role names cannot be parameters; this one is made here from a UUID and a fixed group name.
        try admin.executeScript(StaticOrTrustedSQL(trustedFile: "CREATE ROLE \(name) LOGIN IN ROLE \(group)"))
        return String(name)
    }

    public func dropRole(_ name: String) {
        guard let server = try? Self.serverURL(),
              let admin = try? Connection(configuration: ConnectionConfiguration(connectionString: server)) else { return }
        _ = try? admin.executeScript(StaticOrTrustedSQL(trustedFile: "DROP ROLE IF EXISTS \(name)"))
    }

    /// `server` with its database name replaced: works for URIs
    /// (`postgresql://host/db?…`) and for `key=value` strings.
    public static func url(_ server: String, database: String) -> String {
        for scheme in ["postgresql://", "postgres://"] where server.hasPrefix(scheme) {
            let rest = server.dropFirst(scheme.count)
            let queryStart = rest.firstIndex(of: "?") ?? rest.endIndex
            let beforeQuery = rest[..<queryStart]
            let authority = beforeQuery.firstIndex(of: "/").map { beforeQuery[..<$0] } ?? beforeQuery
            return scheme + authority + "/" + database + rest[queryStart...]
        }
        return server + " dbname=" + database
    }
}

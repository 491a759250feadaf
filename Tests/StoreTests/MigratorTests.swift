import Database
import Foundation
import Store
import Testing
import TestSupport

@Suite("Migrations")
struct MigratorTests {
    /// A scratch schema folder with the given files.
    func folder(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, sql) in files { try sql.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url
    }

    @Test("the project's schema applies to a fresh database, and a second run is a no-op")
    func freshThenRerun() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        let migrator = Migrator(migrations: try Migration.load(from: TestDatabase.schemaFolder()))
        let applied = try migrator.migrate(on: connection)
        #expect(applied == migrator.migrations.map(\.name))
        #expect(!applied.isEmpty)
        #expect(try migrator.migrate(on: connection).isEmpty)
        let status = try migrator.status(on: connection)
        #expect(status.allSatisfy { $0.isApplied })
        let recorded = try connection.queryFirst("SELECT count(*) AS n FROM schema_migrations")
        #expect(try recorded?.decode("n", as: Int.self) == migrator.migrations.count)
    }

    @Test("pending migrations are listed in order and applied each in its own transaction")
    func pendingAndAtomic() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        let url = try folder([
            "001_a.sql": "CREATE TABLE a (n int);",
            "002_b.sql": "CREATE TABLE b (n int); INSERT INTO b VALUES (1);",
            "010_broken.sql": "CREATE TABLE c (n int); SELECT * FROM no_such_table;",
        ])
        let migrator = Migrator(migrations: try Migration.load(from: url))
        #expect(try migrator.status(on: connection).map(\.name) == ["001_a.sql", "002_b.sql", "010_broken.sql"])
        let error = #expect(throws: DatabaseError.self) { try migrator.migrate(on: connection) }
        #expect(error?.sqlState == .undefinedTable)
        let status = try migrator.status(on: connection)
        #expect(status.map(\.isApplied) == [true, true, false])
        // The broken file's own table was rolled back with it.
        #expect(try connection.queryFirst("SELECT to_regclass('c') IS NULL AS gone")?.decode("gone", as: Bool.self) == true)
    }

    @Test("an applied migration whose file changed is refused with a clear message")
    func changedChecksumRefused() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        let url = try folder(["001_a.sql": "CREATE TABLE a (n int);"])
        try Migrator(migrations: try Migration.load(from: url)).migrate(on: connection)
        try "CREATE TABLE a (n bigint);".write(to: url.appendingPathComponent("001_a.sql"), atomically: true, encoding: .utf8)
        let changed = Migrator(migrations: try Migration.load(from: url))
        let error = #expect(throws: MigrationError.self) { try changed.migrate(on: connection) }
        guard case .checksumMismatch(let name, _, _) = error else {
            Issue.record("expected a checksum mismatch, got \(String(describing: error))")
            return
        }
        #expect(name == "001_a.sql")
        #expect(error?.description.contains("must never be edited") == true)
    }

    @Test("badly named and duplicate-numbered files are refused before anything runs")
    func badFolder() throws {
        #expect(throws: MigrationError.badFileName("a.sql")) {
            try Migration.load(from: try folder(["a.sql": "SELECT 1;"]))
        }
        #expect(throws: MigrationError.self) {
            try Migration.load(from: try folder(["001_a.sql": "SELECT 1;", "01_b.sql": "SELECT 1;"]))
        }
    }

    /// Two migrators start at the same moment against a slow migration; the
    /// advisory lock makes one wait, and the file is applied exactly once.
    @Test("two concurrent migrates never apply the same file twice")
    func concurrentMigrate() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let url = try folder([
            "001_slow.sql": "CREATE TABLE slow (n int); SELECT pg_sleep(0.5); INSERT INTO slow VALUES (1);",
        ])
        let migrations = try Migration.load(from: url)
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            do {
                let connection = try database.connect()
                let applied = try Migrator(migrations: migrations).migrate(on: connection)
                results.append(.success(applied.count))
            } catch {
                results.append(.failure(error))
            }
        }
        let counts = results.values.compactMap { try? $0.get() }
        #expect(counts.sorted() == [0, 1])
        let connection = try database.connect()
        #expect(try connection.queryFirst("SELECT count(*) AS n FROM slow")?.decode("n", as: Int.self) == 1)
    }
}

/// Collects results from concurrent workers.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Result<Int, Error>] = []
    func append(_ value: Result<Int, Error>) { lock.withLock { stored.append(value) } }
    var values: [Result<Int, Error>] { lock.withLock { stored } }
}

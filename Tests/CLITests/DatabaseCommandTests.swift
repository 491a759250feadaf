import Foundation
import Testing
import TestSupport

@Suite("chipsales db")
struct DatabaseCommandTests {
    @Test("an unreachable database exits 69 with one clear line and no password")
    func unreachable() throws {
        let output = try runChipsales(
            ["db", "status", "--connect-timeout", "2"],
            environment: ["DATABASE_URL": "postgresql://app:pa55word@127.0.0.1:1/chipsales"])
        #expect(output.status == 69)
        #expect(output.stderr.hasPrefix("chipsales: database unavailable:"))
        #expect(output.stderr.split(separator: "\n").count == 1)
        #expect(!output.stderr.contains("pa55word"))
        #expect(output.stdout.isEmpty)
    }

    @Test("migrate applies the schema, status lists it, and re-running is a no-op")
    func migrateAndStatus() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let before = try runChipsales(["db", "status", "--database-url", database.url])
        #expect(before.status == 0)
        #expect(before.stdout.contains("pending"))
        let first = try runChipsales(["db", "migrate"], environment: ["DATABASE_URL": database.url])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("applied 001_foundation.sql"))
        let second = try runChipsales(["db", "migrate"], environment: ["DATABASE_URL": database.url])
        #expect(second.status == 0)
        #expect(second.stdout.contains("up to date"))
        let after = try runChipsales(["db", "status"], environment: ["DATABASE_URL": database.url])
        #expect(after.stdout.contains("0 pending"))
        #expect(!after.stdout.contains("pending  "))
    }

    @Test("a changed migration file is refused with exit 65 and the file named")
    func changedFileRefused() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("001_foundation.sql")
        try "CREATE TABLE t (n int);".write(to: file, atomically: true, encoding: .utf8)
        let first = try runChipsales(["db", "migrate", "--schema-dir", folder.path, "--database-url", database.url])
        #expect(first.status == 0, "\(first.stderr)")
        try "CREATE TABLE t (n bigint);".write(to: file, atomically: true, encoding: .utf8)
        let second = try runChipsales(["db", "migrate", "--schema-dir", folder.path, "--database-url", database.url])
        #expect(second.status == 65)
        #expect(second.stderr.contains("001_foundation.sql"))
    }

    @Test("a negative timeout is a usage error (exit 64)")
    func usageError() throws {
        let output = try runChipsales(["db", "status", "--connect-timeout=-3"])
        #expect(output.status == 64)
        #expect(output.stderr.contains("--connect-timeout"))
    }
}

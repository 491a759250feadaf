import Database
import Foundation
import Testing
import TestSupport

/// Backups and point-in-time recovery of the private cluster
/// (scripts/db backup and restore --to), on a cluster of the test's own.
@Suite("backups and point-in-time recovery", .serialized)
struct PointInTimeTests {
    /// pg_dump of the database, without what differs between any two dumps
    /// or by design after a recovery: the `\restrict`/`\unrestrict` lines
    /// (a random key per dump) and the sequences' `setval` lines (a sequence
    /// logs its values 32 ahead, so a recovered one may skip values; it never
    /// hands one out twice, which `sequences` checks).
    static func dump(_ url: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary("pg_dump"))
        process.arguments = ["--no-owner", "--no-privileges", url]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PrivateCluster.ScriptFailure(description: "pg_dump failed") }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("\\restrict") && !$0.hasPrefix("\\unrestrict") && !$0.hasPrefix("SELECT pg_catalog.setval(") }
            .joined(separator: "\n")
    }

    static func binary(_ name: String) throws -> String {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let path = "/usr/lib/postgresql/\(version)/bin/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw PrivateCluster.ScriptFailure(description: "\(name) is not installed")
    }

    /// Every sequence's last value.
    static func sequences(_ connection: Connection) throws -> [String: Int] {
        var values: [String: Int] = [:]
        for row in try connection.execute("SELECT schemaname || '.' || sequencename AS name, coalesce(last_value, 0) AS value FROM pg_sequences") {
            values[try row.decode("name")] = try row.decode("value")
        }
        return values
    }

    @Test("a wrong file imported after a known good point: restore --to that point gives the order book and plan exactly as they were")
    func restoreBeforeMistake() throws {
        let cluster = try PrivateCluster.start()
        defer { cluster.destroy() }
        let primary = try cluster.url()
        #expect(try runChipsales(["db", "migrate"], environment: ["DATABASE_URL": primary]).status == 0)
        try AllocationStory.load(try Connection(configuration: ConnectionConfiguration(connectionString: primary)))
        try Connection(configuration: ConnectionConfiguration(connectionString: primary))
            .executeScript("CREATE ROLE pitr_operator LOGIN IN ROLE chipsales_app")
        let desk = ["DATABASE_URL": PrivateCluster.url(primary, asUser: "pitr_operator")]
        #expect(try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: desk).status == 0)

        // The nightly backup, then a day's good work after it.
        try cluster.script("backup")
        let good = try runChipsales(
            ["order", "create", "--customer", "tokyo-compute", "--reference", "PO-GOOD", "--line", "TRN3:32:2027-W11"], environment: desk)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: desk).status == 0)

        // The known good point.
        var connection = try Connection(configuration: ConnectionConfiguration(connectionString: primary))
        let goodPoint: String = try connection.queryFirst("SELECT clock_timestamp()::text AS now")!.decode("now")
        let before = try Self.dump(primary)
        let planBefore = try AllocationStory.plan(connection)
        let sequencesBefore = try Self.sequences(connection)
        Thread.sleep(forTimeInterval: 0.2)

        // The mistake: last quarter's file imported again, and a run on it.
        let wrong = try Fixtures.file("orders.csv", """
            customer,reference,line,sku,quantity,week
            helios-dc,PO-OLD-1,1,TRN3,512,2027-W10
            helios-dc,PO-OLD-2,1,TRN3,256,2027-W11
            nordic-ai,PO-OLD-3,1,TRN3-BOARD,128,2027-W12

            """)
        let imported = try runChipsales(["order", "import", wrong], environment: desk)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: desk).status == 0)
        #expect(try Self.dump(primary) != before)
        #expect(try connection.queryFirst("SELECT count(*)::int AS n FROM orders WHERE reference LIKE 'PO-OLD-%'")!.decode("n", as: Int.self) == 3)

        let restored = try cluster.run(["restore", "--to", goodPoint])
        #expect(restored.status == 0, "\(restored.stderr)")
        connection = try Connection(configuration: ConnectionConfiguration(connectionString: primary))
        #expect(try Self.dump(primary) == before)
        #expect(try AllocationStory.plan(connection) == planBefore)
        #expect(try connection.queryFirst("SELECT count(*)::int AS n FROM orders WHERE reference LIKE 'PO-OLD-%'")!.decode("n", as: Int.self) == 0)
        for (name, value) in try Self.sequences(connection) {
            #expect(value >= sequencesBefore[name] ?? 0, "\(name) never hands out a value twice")
        }
        // The restored cluster takes work again, and the CLI checks it clean.
        #expect(try runChipsales(["db", "check"], environment: desk).status == 0)
        #expect(try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: desk).status == 0)
        // A time no backup covers is refused, and the cluster is left as it is.
        let tooEarly = try cluster.run(["restore", "--to", "2000-01-01 00:00:00"])
        #expect(tooEarly.status == 65 && tooEarly.stderr.contains("no base backup finished before"))
        let notATime = try cluster.run(["restore", "--to", "yesterday-ish"])
        #expect(notATime.status == 64)
        #expect(try runChipsales(["allocate", "history"], environment: desk).status == 0)
    }
}

import Database
import Foundation
import Logging
import Store
import Testing
import TestSupport

/// What the CLI says when the database is not what the command needs: no
/// schema, migrations pending, a connection string that does not parse, a
/// connection lost mid-command.
@Suite("Database state: schema, connection strings, lost connections")
struct DatabaseStateTests {
    @Test("a database never migrated is refused with exit 78 and `chipsales db migrate`, also without a schema/ folder")
    func neverMigrated() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let commands: [[String]] = [
            ["product", "list"], ["order", "list"], ["report", "capacity"], ["allocate", "run", "--dry-run"], ["db", "check"],
        ]
        for folder in [try TestDatabase.schemaFolder().path, "/nonexistent-schema-folder"] {
            for arguments in commands {
                let output = try runChipsales(
                    arguments, environment: ["DATABASE_URL": database.url, "CHIPSALES_SCHEMA_DIR": folder])
                #expect(output.status == 78, "\(arguments): \(output.stderr)")
                #expect(output.stderr == "chipsales: the database has no chipsales schema: run `chipsales db migrate` to create it\n",
                        "\(arguments): \(output.stderr)")
            }
        }
        // db status and db migrate work on it, as they must.
        let status = try runChipsales(["db", "status"], environment: ["DATABASE_URL": database.url])
        #expect(status.status == 0 && status.stdout.contains("pending"), "\(status.stderr)")
    }

    @Test("a database behind the binary names the pending migrations, for an operator's login too")
    func pendingMigrations() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let all = try Migration.load(from: try TestDatabase.schemaFolder())
        var quiet = Logger(label: "chipsales.test")
        quiet.logLevel = .error
        try Migrator(migrations: Array(all.dropLast()), logger: quiet).migrate(on: try database.connect())
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.dropRole(login) }
        let output = try runChipsales(["order", "list"], environment: ["DATABASE_URL": database.url(asUser: login)])
        #expect(output.status == 78, "\(output.stderr)")
        #expect(output.stderr.contains("1 migration is pending (\(all.last!.name))"), "\(output.stderr)")
        #expect(output.stderr.contains("run `chipsales db migrate`"), "\(output.stderr)")
        let migrate = try runChipsales(["db", "migrate"], environment: ["DATABASE_URL": database.url])
        #expect(migrate.status == 0, "\(migrate.stderr)")
        let after = try runChipsales(["order", "list"], environment: ["DATABASE_URL": database.url(asUser: login)])
        #expect(after.status == 0, "\(after.stderr)")
    }

    @Test("without a schema/ folder, a table missing from the database is still exit 78, not a raw error")
    func missingTableWithoutFolder() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        try database.connect().executeScript("DROP TABLE inventory_movements CASCADE")
        let output = try runChipsales(
            ["inventory", "show", "--movements"],
            environment: ["DATABASE_URL": database.url, "CHIPSALES_SCHEMA_DIR": "/nonexistent-schema-folder"])
        #expect(output.status == 78, "\(output.stderr)")
        #expect(output.stderr.contains("inventory_movements") && output.stderr.contains("chipsales db migrate"), "\(output.stderr)")
    }

    static let password = "Zq7SecretPw"

    /// Connection strings that libpq cannot parse or cannot use, each holding
    /// the password in some spelling.
    static let badConnectionStrings: [String] = {
        let p = password
        return [
            "postgresql://alice:\(p)%zz@localhost/db", "postgresql://alice:\(p)%@localhost/db",
            "postgresql://alice:\(p)%4@localhost/db", "postgresql://alice:%zz\(p)@localhost/db",
            "postgresql://alice:\(p)%00x@localhost/db", "postgresql://alice:\(p)@[::1/db",
            "postgresql://alice:\(p)@[]/db", "postgresql://alice:\(p)@localhost/db?x=1=2",
            "postgresql://alice:\(p)@localhost/db?flag", "postgresql://alice:\(p)@localhost/db?bogus=1",
            "postgresql://alice:\(p)@localhost/db?password=\(p)%g1", "postgresql://alice:\(p)@localhost/db?sslmode=\(p)",
            "postgresql://alice:\(p)@localhost:\(p)/db", "postgresql://alice:\(p)@local\"host/db%zz",
            "postgresql://alice:\"\(p)\"%zz@h/d", "postgres://:\(p)@/db?host=/nonexistent%zz",
            "host=/nonexistent password=\(p) port", "host=/nonexistent password='\(p)",
            "password=\(p) bogus=1", "password=\(p) = x", "password = \(p) dbname", "'password'=\(p)",
            "password=\(p)\" host=/nonexistent sslmode=maybe", "password=\(p) port=\(p) host=/nonexistent",
            "password=\(p) host=/nonexistent", "postgresql://alice:\(p)@/db?host=/nonexistent",
            "postgresql://alice:\(p.replacingOccurrences(of: "S", with: "%53"))@/db?host=/nonexistent",
            "postgresql://alice:\(p)@/db?host=/nonexistent&connect_timeout=\(p)",
        ]
    }()

    @Test("no message ever prints the password of a connection string, parsable or not")
    func passwordNeverPrinted() throws {
        let spellings = [Self.password, Self.password.replacingOccurrences(of: "S", with: "%53"), "Zq7", "ecretP"]
        for url in Self.badConnectionStrings {
            for (arguments, environment) in [
                (["product", "list", "--database-url", url], [String: String]()),
                (["product", "list"], ["DATABASE_URL": url]),
            ] {
                let output = try runChipsales(arguments, environment: environment)
                #expect(output.status == 64 || output.status == 69, "\(url): \(output.status) \(output.stderr)")
                #expect(output.stderr.hasPrefix("chipsales: "), "\(url): \(output.stderr)")
                for spelling in spellings {
                    #expect(!output.stderr.contains(spelling), "\(url): \(output.stderr)")
                }
            }
        }
    }

    @Test("a connection string libpq cannot parse is a usage error (64) that says why, without quoting it")
    func unparsableConnectionString() throws {
        let output = try runChipsales(["product", "list", "--database-url", "postgresql://alice:pw%zz@localhost/db"])
        #expect(output.status == 64)
        #expect(output.stderr == "chipsales: the database connection string cannot be parsed (invalid percent-encoded token: \"…\"); it is not shown, as it may hold a password\n")
    }

    @Test("a port or timeout that is not a whole number is a usage error (64) naming the option, in a URI and in key=value form")
    func wholeNumberOptions() throws {
        for url in ["postgresql://localhost/db?port=abc", "host=/tmp port=5432,x1", "postgresql:///db?connect_timeout=soon", "host=/tmp keepalives_idle=1.5"] {
            let output = try runChipsales(["product", "list", "--database-url", url])
            #expect(output.status == 64, "\(url): \(output.stderr)")
            #expect(output.stderr.contains("cannot be parsed (the option "), "\(url): \(output.stderr)")
            #expect(output.stderr.contains("must be a whole number"), "\(url): \(output.stderr)")
        }
    }

    @Test("a connection lost while a run writes exits 75, and nothing of the run is stored")
    func connectionLostWhileWriting() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        try AllocationStory.load(try database.connect())
        let env = ["DATABASE_URL": database.url]
        let first = try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        // Hold the current plan's row, so the run waits at its last write,
        // after every allocation was written, until its backend is ended.
        let blocker = try database.connect()
        try blocker.executeScript("BEGIN")
        try blocker.execute("SELECT run_id FROM current_plan FOR UPDATE")
        let watcher = try database.connect()
        let result = ResultBox()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            result.output = try? runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: env)
            done.signal()
        }
        var terminated = false
        for _ in 0..<600 where !terminated {
            let waiting = try watcher.queryFirst(
                """
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = 'chipsales' AND wait_event_type = 'Lock'
                """)
            if let pid: Int = try waiting?.decode("pid") {
                terminated = try watcher.queryFirst("SELECT pg_terminate_backend($1) AS ok", [pid])!.decode("ok")
            } else {
                usleep(50_000)
            }
        }
        #expect(terminated, "the run never waited for the lock")
        done.wait()
        try blocker.executeScript("ROLLBACK")
        let output = try #require(result.output)
        #expect(output.status == 75, "\(output.stderr)")
        #expect(output.stderr.contains("the connection to the database was lost") && output.stderr.contains("nothing was stored"),
                "\(output.stderr)")
        #expect(!output.stderr.contains("Fatal error"))
        let connection = try database.connect()
        #expect(try Fixtures.count("allocation_runs", connection) == 1)
        let current: Int = try connection.queryFirst("SELECT run_id FROM current_plan")!.decode("run_id")
        #expect(current == 1)
        let check = try runChipsales(["db", "check"], environment: env)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }
}

private final class ResultBox: @unchecked Sendable {
    var output: CommandOutput?
}

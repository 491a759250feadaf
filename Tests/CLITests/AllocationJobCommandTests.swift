import Database
import Foundation
import Store
import Testing
import TestSupport

@Suite("chipsales allocate run and friends")
struct AllocationJobCommandTests {
    func story() throws -> TestDatabase {
        let database = try TestDatabase.make()
        try AllocationStory.load(try database.connect())
        return database
    }

    func run(_ database: TestDatabase, _ arguments: String...) throws -> CommandOutput {
        try runChipsales(arguments, environment: ["DATABASE_URL": database.url])
    }

    @Test("a run prints the summary, a dry run prints the same and stores nothing")
    func runAndDryRun() throws {
        let database = try story()
        defer { database.drop() }
        let dry = try run(database, "allocate", "run", "--as-of", "2027-W10", "--dry-run")
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("Dry run as of 2027-W10 (nothing stored)"))
        let connection = try database.connect()
        #expect(try Fixtures.count("allocation_runs", connection) == 0)
        #expect(try Fixtures.count("allocations", connection) == 0)
        let real = try run(database, "allocate", "run", "--as-of", "2027-W10", "--format", "json")
        #expect(real.status == 0, "\(real.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(real.stdout.utf8)) as? [String: Any])
        #expect(summary["run"] as? Int == 1)
        #expect((summary["periods"] as? [[String: Any]])?.count == 4)
        let customers = try #require(summary["customers"] as? [[String: Any]])
        #expect(customers.first { $0["customer"] as? String == "nordic-ai" }?["allocated"] as? Int == 0)
        // The dry run computed exactly what the real run stored.
        let dryJSON = try run(database, "allocate", "run", "--as-of", "2027-W10", "--dry-run", "--format", "json")
        let again = try #require(try JSONSerialization.jsonObject(with: Data(dryJSON.stdout.utf8)) as? [String: Any])
        #expect((again["changes"] as? [Any])?.isEmpty == true)
        #expect(try Fixtures.count("allocation_runs", connection) == 1)
    }

    @Test("allocate simulate on the exported scenario gives exactly the allocations allocate run stores")
    func exportSimulateEquality() throws {
        let database = try story()
        defer { database.drop() }
        _ = try run(database, "allocate", "run", "--as-of", "2027-W10")  // a current plan, so frozen lots are exported too
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("scenario.json").path
        let exported = try run(database, "allocate", "export-scenario", "--as-of", "2027-W10", file)
        #expect(exported.status == 0, "\(exported.stderr)")
        let simulated = try runChipsales(["allocate", "simulate", file])
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(simulated.stdout.utf8)) as? [String: Any])
        let simulatedRows = (result["allocations"] as? [[String: Any]] ?? []).map {
            "\(Int($0["order"] as! String)!) \($0["period"] as! String) \($0["quantity"] as! Int)"
        }.sorted()
        #expect(try run(database, "allocate", "run", "--as-of", "2027-W10").status == 0)
        let connection = try database.connect()
        let stored = try connection.execute(
            "SELECT order_line_id || ' ' || week || ' ' || quantity AS row FROM allocations WHERE run_id = (SELECT run_id FROM current_plan)"
        ).map { try $0.decode("row", as: String.self) }.sorted()
        #expect(!stored.isEmpty)
        #expect(simulatedRows == stored)
    }

    @Test("a second run exits 75 while one runs, and --wait waits for it")
    func singleRunner() throws {
        let database = try story()
        defer { database.drop() }
        let holder = try database.connect()
        let lock = try RunStore(holder).lock(wait: false)
        let refused = try run(database, "allocate", "run", "--as-of", "2027-W10")
        #expect(refused.status == 75)
        #expect(refused.stderr.contains("another allocation run is in progress"))
        let waiting = try startChipsales(["allocate", "run", "--as-of", "2027-W10", "--wait"], environment: ["DATABASE_URL": database.url])
        Thread.sleep(forTimeInterval: 1.0)
        #expect(waiting.isRunning)
        try lock.release()
        waiting.waitUntilExit()
        #expect(waiting.terminationStatus == 0)
        #expect(try Fixtures.count("allocation_runs", try database.connect()) == 1)
    }

    @Test("two runs started together: one plan at a time, never two current plans")
    func twoAtOnce() throws {
        let database = try story()
        defer { database.drop() }
        let env = ["DATABASE_URL": database.url]
        let a = try startChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: env)
        let b = try startChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: env)
        a.waitUntilExit()
        b.waitUntilExit()
        let statuses = [a.terminationStatus, b.terminationStatus].sorted()
        #expect(statuses == [0, 0] || statuses == [0, 75])
        let connection = try database.connect()
        #expect(try Fixtures.count("current_plan", connection) == 1)
        #expect(try InvariantCheck(connection).violations().isEmpty)
    }

    /// Kills the run at moments spread over its whole life (connect, read,
    /// compute, COPY, commit): the previous plan must survive untouched.
    @Test("a run killed with SIGKILL at any moment leaves the previous plan exactly as it was")
    func killedRun() throws {
        let database = try story()
        defer { database.drop() }
        let connection = try database.connect()
        // Enough open lines that writing a plan takes a while.
        try connection.executeScript("""
            INSERT INTO orders (customer_id, reference)
            SELECT (ARRAY['aws-cloud','helios-dc','tokyo-compute'])[1 + g % 3], 'BULK-' || g FROM generate_series(1, 20000) g;
            INSERT INTO order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency)
            SELECT o.id, 1, 'TRN3', 16, 16, '2027-W1' || (o.id % 4), 9800, 'USD' FROM orders o WHERE o.reference LIKE 'BULK-%';
            UPDATE supply_capacity SET quantity = 160000;
            """)
        #expect(try run(database, "allocate", "run", "--as-of", "2027-W10").status == 0)
        let planBefore = try AllocationStory.plan(connection)
        let runBefore = try RunStore(connection).currentRunID()
        for delay in [0.05, 0.2, 0.4, 0.6, 0.8, 1.0, 1.3] {
            let process = try startChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: ["DATABASE_URL": database.url])
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Either the old plan, untouched, or (when the run committed before
            // the kill) a whole new plan, which on unchanged input is the same.
            let current = try #require(try RunStore(connection).currentRunID())
            #expect(current >= runBefore!)
            #expect(try AllocationStory.plan(connection) == planBefore, "killed after \(delay) s")
            #expect(try InvariantCheck(connection).violations().isEmpty, "killed after \(delay) s")
        }
        // The lock died with the killed sessions: the next run goes through.
        #expect(try run(database, "allocate", "run", "--as-of", "2027-W10", "--wait").status == 0)
    }

    @Test("explain, history, diff, policy and db check through the CLI")
    func aroundTheRun() throws {
        let database = try story()
        defer { database.drop() }
        #expect(try run(database, "policy", "set", "--internal-floor", "0.5").status == 0)
        let policy = try #require(try JSONSerialization.jsonObject(with: Data(run(database, "policy", "show", "--format", "json").stdout.utf8)) as? [String: Any])
        #expect(policy["internal_floor"] as? String == "0.5")
        #expect(try run(database, "policy", "set", "--internal-floor", "2").status == 65)
        #expect(try run(database, "allocate", "run", "--as-of", "2027-W10").status == 0)
        #expect(try run(database, "allocate", "run", "--as-of", "2027-W10").status == 0)
        let connection = try database.connect()
        let order = try AllocationStory.order("PO-N1", connection)
        let explain = try run(database, "allocate", "explain", String(order))
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("hold: export compliance pending"))
        let history = try run(database, "allocate", "history", "--format", "csv")
        #expect(history.stdout.split(separator: "\n").count == 3)
        let diff = try run(database, "allocate", "diff", "1", "2")
        #expect(diff.status == 0 && diff.stdout.contains("same chips"))
        #expect(try run(database, "allocate", "diff", "1", "99").status == 65)
        #expect(try run(database, "db", "check").status == 0)
        try connection.execute("UPDATE allocation_periods SET available = 0, allocated = 0, carry = 0, internal_allocated = 0 WHERE week = '2027-W11'")
        let check = try run(database, "db", "check")
        #expect(check.status == 1)
        #expect(check.stdout.contains("allocations within supply per week"))
    }
}

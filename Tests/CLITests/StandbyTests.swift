import Database
import Foundation
import Store
import Testing
import TestSupport

/// Reports from a hot standby: a real streaming standby of a cluster of the
/// test's own (scripts/db replica), the CLI run as an analyst (a login
/// holding only chipsales_reporting) and as an operator (chipsales_app).
@Suite("reports from a hot standby", .serialized)
struct StandbyTests {
    /// A migrated primary with the allocation story and one run, an app and
    /// a reporting login, and a standby streaming from it.
    struct Setup {
        let cluster: PrivateCluster
        let primary: String
        let standby: String
        let operator_: String
        let analyst: String

        func primaryAs(_ user: String) -> String { PrivateCluster.url(primary, asUser: user) }
        func standbyAs(_ user: String) -> String { PrivateCluster.url(standby, asUser: user) }
    }

    static func setUp(standbyDelay: String = "30s") throws -> Setup {
        let cluster = try PrivateCluster.start(environment: ["CHIPSALES_STANDBY_DELAY": standbyDelay])
        let primary = try cluster.url()
        let migrate = try runChipsales(["db", "migrate"], environment: ["DATABASE_URL": primary])
        guard migrate.status == 0 else { throw PrivateCluster.ScriptFailure(description: "db migrate: \(migrate.stderr)") }
        let owner = try Connection(configuration: ConnectionConfiguration(connectionString: primary))
        try AllocationStory.load(owner)
        try owner.executeScript("CREATE ROLE standby_operator LOGIN IN ROLE chipsales_app")
        try owner.executeScript("CREATE ROLE standby_analyst LOGIN IN ROLE chipsales_reporting")
        let standby = try cluster.startStandby()
        return Setup(cluster: cluster, primary: primary, standby: standby, operator_: "standby_operator", analyst: "standby_analyst")
    }

    @Test("committed orders and runs appear in the standby's reports after replay, and every report answers with the primary stopped")
    func reportsFromStandby() throws {
        let setup = try Self.setUp()
        defer { setup.cluster.destroy() }
        let desk = ["DATABASE_URL": setup.primaryAs(setup.operator_)]
        // Written on the primary after the standby was made.
        let created = try runChipsales(
            ["order", "create", "--customer", "tokyo-compute", "--reference", "PO-STANDBY", "--line", "TRN3:32:2027-W11"], environment: desk)
        #expect(created.status == 0, "\(created.stderr)")
        let run = try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: desk)
        #expect(run.status == 0, "\(run.stderr)")
        try PrivateCluster.waitForReplay(primary: setup.primary, standby: setup.standby)

        // The analyst's reports: DATABASE_URL names the primary, the
        // reporting URL the standby; both give the same figures now.
        let analyst = ["DATABASE_URL": setup.primaryAs(setup.analyst), "CHIPSALES_REPORTING_URL": setup.standbyAs(setup.analyst)]
        var fromStandby: [String: String] = [:]
        for report in ReportCommandTests.reports {
            let viaStandby = try runChipsales(["report", report, "--format", "csv"], environment: analyst)
            #expect(viaStandby.status == 0, "\(report): \(viaStandby.stderr)")
            let viaPrimary = try runChipsales(["report", report, "--format", "csv"], environment: ["DATABASE_URL": setup.primaryAs(setup.analyst)])
            #expect(viaStandby.stdout == viaPrimary.stdout, "\(report)")
            fromStandby[report] = viaStandby.stdout
        }
        // The order entered after the standby was made is in its order book
        // (192 + 32 chips ordered for tokyo-compute in 2027-W11), and the
        // run (the story had none when the standby was made) in its
        // per-run reports.
        let book = try #require(fromStandby["order-book"])
        let tokyo = book.split(separator: "\n").first { $0.hasPrefix("tokyo-compute,2027-W11,") }.map(String.init) ?? ""
        #expect(tokyo.hasPrefix("tokyo-compute,2027-W11,224,"), "\(book)")
        let capacity = try #require(fromStandby["capacity"])
        #expect(capacity.split(separator: "\n").count > 1, "\(capacity)")

        // The primary goes down: reports still answer, from the standby,
        // with the same figures; --reporting-url does what the variable does.
        try setup.cluster.script("stop")
        for report in ReportCommandTests.reports {
            let answered = try runChipsales(["report", report, "--format", "csv"], environment: analyst)
            #expect(answered.status == 0, "\(report): \(answered.stderr)")
            #expect(answered.stdout == fromStandby[report], "\(report)")
            let byOption = try runChipsales(
                ["report", report, "--format", "csv", "--reporting-url", setup.standbyAs(setup.analyst)],
                environment: ["DATABASE_URL": setup.primaryAs(setup.analyst)])
            #expect(byOption.status == 0 && byOption.stdout == fromStandby[report], "\(report): \(byOption.stderr)")
        }
        // Without a reporting URL a report goes to the primary, which is down.
        let primaryOnly = try runChipsales(["report", "order-book"], environment: ["DATABASE_URL": setup.primaryAs(setup.analyst)])
        #expect(primaryOnly.status == 69)
    }

    @Test("a write sent to the standby is refused as a read-only standby (exit 69), not an internal error")
    func writeToStandby() throws {
        let setup = try Self.setUp()
        defer { setup.cluster.destroy() }
        let wrong = ["DATABASE_URL": setup.standbyAs(setup.operator_)]
        let commands: [[String]] = [
            ["order", "create", "--customer", "helios-dc", "--reference", "PO-WRONG", "--line", "TRN3:16:2027-W11"],
            ["inventory", "receive", "--sku", "TRN3", "--quantity", "16"],
            ["allocate", "run", "--as-of", "2027-W10"],
            ["policy", "set", "--internal-floor", "0.5"],
        ]
        for command in commands {
            let refused = try runChipsales(command, environment: wrong)
            #expect(refused.status == 69, "\(command): \(refused.stderr)")
            #expect(refused.stderr.contains("this server is a read-only standby"), "\(command): \(refused.stderr)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(command): \(refused.stderr)")
        }
        let migrate = try runChipsales(["db", "migrate"], environment: ["DATABASE_URL": setup.standby])
        #expect(migrate.status == 69, "\(migrate.stderr)")
        #expect(migrate.stderr.contains("this server is a read-only standby"), "\(migrate.stderr)")
        // Reads answer as on the primary.
        let listed = try runChipsales(["order", "list"], environment: wrong)
        #expect(listed.status == 0 && listed.stdout.contains("PO-H1"), "\(listed.stderr)")
        let primary = try Connection(configuration: ConnectionConfiguration(connectionString: setup.primary))
        #expect(try primary.queryFirst("SELECT count(*)::int AS n FROM orders WHERE reference = 'PO-WRONG'")!.decode("n", as: Int.self) == 0)
        #expect(try Fixtures.count("allocation_runs", primary) == 0)
    }

    /// A report made slow on purpose (a view that pauses on each row, made
    /// by the test on the primary and replayed by the standby), a standby
    /// that lets no query delay replay, and UPDATE + VACUUM on the primary
    /// while the report reads: the standby cancels it (SQLSTATE 40001).
    @Test("a report the standby cancels for a replication conflict runs once more; cancelled twice, it exits 75 with a clear message")
    func replicationConflict() throws {
        let setup = try Self.setUp(standbyDelay: "0")
        defer { setup.cluster.destroy() }
        let owner = try Connection(configuration: ConnectionConfiguration(connectionString: setup.primary))
        try owner.executeScript("""
            CREATE FUNCTION test_pause(seconds float8) RETURNS boolean LANGUAGE sql VOLATILE AS $$ SELECT true FROM pg_sleep(seconds) $$;
            ALTER VIEW report_inventory RENAME TO report_inventory_quick;
            CREATE VIEW report_inventory AS SELECT * FROM report_inventory_quick WHERE test_pause(0.5);
            GRANT SELECT ON report_inventory TO chipsales_reporting;
            """)
        try PrivateCluster.waitForReplay(primary: setup.primary, standby: setup.standby)
        let standbyOwner = try Connection(configuration: ConnectionConfiguration(connectionString: setup.standby))
        func conflicts() throws -> Int {
            try standbyOwner.queryFirst(
                "SELECT (confl_snapshot + confl_lock + confl_bufferpin)::int AS n FROM pg_stat_database_conflicts WHERE datname = current_database()"
            )!.decode("n")
        }
        /// Dead row versions the report's snapshot may still need, then
        /// VACUUM removing them: its cleanup conflicts with the report on replay.
        func churn() throws {
            try owner.execute("UPDATE products SET name = name")
            try owner.executeScript("VACUUM products")
        }
        let env = ["CHIPSALES_REPORTING_URL": PrivateCluster.url(setup.standby, asUser: setup.analyst)]
        let expected = try runChipsales(["report", "inventory", "--format", "csv"], environment: env)
        #expect(expected.status == 0, "\(expected.stderr)")

        // One conflict: the second attempt answers, with the same rows.
        var before = try conflicts()
        let once = try startChipsalesCapturing(["report", "inventory", "--format", "csv"], environment: env)
        Thread.sleep(forTimeInterval: 0.6)
        try churn()
        let retried = once.finish()
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(retried.stdout == expected.stdout)
        #expect(try conflicts() >= before + 1, "the standby cancelled the first attempt")

        // Conflicts all along: both attempts are cancelled.
        before = try conflicts()
        let twice = try startChipsalesCapturing(["report", "inventory", "--format", "csv"], environment: env)
        let deadline = Date().addingTimeInterval(20)
        while twice.process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.3)
            try churn()
        }
        let failed = twice.finish()
        #expect(failed.status == 75, "\(failed.stderr)")
        #expect(failed.stderr.contains("the standby cancelled the report twice"), "\(failed.stderr)")
        #expect(failed.stderr.contains("max_standby_streaming_delay"))
        #expect(failed.stdout.isEmpty)
        #expect(try conflicts() >= before + 2)
    }
}

import Database
import Foundation
import Store
import Testing
import TestSupport

/// Through PgBouncer in transaction pooling mode (scripts/db pooler, a stock
/// configuration), on a cluster and pooler of the test's own, so that no
/// other client shares its server connections: PgBouncer lends the most
/// recently released server connection first, so a client that comes after
/// another gets the connection it used.
@Suite("through a pooler in transaction mode", .serialized)
struct PoolerTests {
    struct Setup {
        let cluster: PrivateCluster
        let direct: String
        let pooled: String
    }

    static func setUp() throws -> Setup {
        let cluster = try PrivateCluster.start()
        let direct = try cluster.url()
        try cluster.script("pooler", "start")
        let pooled = try cluster.script("pooler", "url")
        let migrate = try runChipsales(["db", "migrate"], environment: ["DATABASE_URL": pooled])
        guard migrate.status == 0 else { throw PrivateCluster.ScriptFailure(description: "db migrate through the pooler: \(migrate.stderr)") }
        try AllocationStory.load(try Connection(configuration: ConnectionConfiguration(connectionString: pooled)))
        return Setup(cluster: cluster, direct: direct, pooled: pooled)
    }

    @Test("a connection's statement timeout holds in its transactions and never reaches the pooler's other clients")
    func noSessionSettingLeaks() throws {
        let setup = try Self.setUp()
        defer { setup.cluster.destroy() }
        let timed = try Connection(configuration: ConnectionConfiguration(connectionString: setup.pooled, statementTimeoutMilliseconds: 300))
        // Another client connects after it, on the server connection it used.
        let other = try Connection(configuration: ConnectionConfiguration(connectionString: setup.pooled))
        let error = #expect(throws: DatabaseError.self) { try timed.execute("SELECT pg_sleep(2)") }
        #expect(error?.sqlState == .queryCanceled)
        let inTransaction: String = try timed.transaction { try $0.queryFirst("SHOW statement_timeout")!.decode("statement_timeout") }
        #expect(inTransaction == "300ms")
        let leaked: String = try other.queryFirst("SHOW statement_timeout")!.decode("statement_timeout")
        #expect(leaked == "0")
        let zone: String = try other.queryFirst("SHOW TimeZone")!.decode("TimeZone")
        #expect(zone == "UTC")
    }

    @Test("the run lock holds through the pooler: a second run exits 75, --wait waits, and a released lock lets the next run in")
    func runLockThroughPooler() throws {
        let setup = try Self.setUp()
        defer { setup.cluster.destroy() }
        let env = ["DATABASE_URL": setup.pooled]
        let holder = try Connection(configuration: ConnectionConfiguration(connectionString: setup.pooled))
        let lock = try RunStore(holder).lock(wait: false)
        let refused = try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: env)
        #expect(refused.status == 75, "\(refused.stderr)")
        #expect(refused.stderr.contains("another allocation run is in progress"))
        let waiting = try startChipsalesCapturing(["allocate", "run", "--as-of", "2027-W10", "--wait"], environment: env)
        Thread.sleep(forTimeInterval: 1.0)
        #expect(waiting.process.isRunning)
        try lock.release()
        let waited = waiting.finish()
        #expect(waited.status == 0, "\(waited.stderr)")
        // No lock is left behind on any of the pooler's server connections.
        for _ in 0..<3 {
            let next = try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: env)
            #expect(next.status == 0, "\(next.stderr)")
        }
        let direct = try Connection(configuration: ConnectionConfiguration(connectionString: setup.direct))
        #expect(try direct.queryFirst("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory'")!.decode("n", as: Int.self) == 0)
        #expect(try Fixtures.count("allocation_runs", direct) == 4)
    }

    @Test("two runs at once through the pooler: one commits, the other waits or exits 75; one current plan, invariants hold")
    func twoRunsThroughPooler() throws {
        let setup = try Self.setUp()
        defer { setup.cluster.destroy() }
        let env = ["DATABASE_URL": setup.pooled]
        for round in 0..<3 {
            let a = try startChipsalesCapturing(["allocate", "run", "--as-of", "2027-W10"], environment: env)
            let b = try startChipsalesCapturing(["allocate", "run", "--as-of", "2027-W10", "--wait"], environment: env)
            let first = a.finish(), second = b.finish()
            #expect(first.status == 0 || first.status == 75, "round \(round): \(first.stderr)")
            #expect(second.status == 0, "round \(round): \(second.stderr)")
        }
        let direct = try Connection(configuration: ConnectionConfiguration(connectionString: setup.direct))
        #expect(try Fixtures.count("current_plan", direct) == 1)
        #expect(try InvariantCheck(direct).violations().isEmpty)
    }
}

import Allocation
import Database
import Foundation
import Store
import Testing
import TestSupport

/// Schema 006: one partition of `allocations` per run.
@Suite("Allocation partitions")
struct PartitionTests {
    func table(of run: Int, _ connection: Connection) throws -> [String] {
        try connection.execute("SELECT DISTINCT tableoid::regclass::text AS t FROM allocations WHERE run_id = $1", [run])
            .map { try $0.decode("t") }
    }

    @Test("plans stored before the migration stay readable, and each later run gets its own indexed partition")
    func upgradeKeepsOldPlans() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        let all = try Migration.load(from: TestDatabase.schemaFolder())
        _ = try Migrator(migrations: all.filter { $0.version < 6 }).migrate(on: connection)
        try AllocationStory.load(connection)
        // A run as the job stored it before 006: straight into the one allocations table.
        let old: Int = try connection.queryFirst(
            """
            INSERT INTO allocation_runs (policy_id, as_of, started_at, open_lines, customers, skus, supply_weeks, fixed_rows,
                supply_chips, on_hand_chips, demand_chips, allocated_chips, backlog_chips, compute_ms)
            VALUES ((SELECT max(id) FROM allocation_policies), '2027-W10', now(), 1, 1, 1, 1, 0, 16, 0, 16, 16, 0, 1) RETURNING id
            """)!.decode("id")
        try connection.execute(
            """
            INSERT INTO allocations (run_id, order_line_id, week, quantity, sku, lot_size, customer_id)
            SELECT $1, l.id, '2027-W10', l.lot_size, l.sku, l.lot_size, o.customer_id
            FROM order_lines l JOIN orders o ON o.id = l.order_id ORDER BY l.id LIMIT 1
            """, [old])
        try connection.execute("INSERT INTO current_plan (run_id) VALUES ($1)", [old])

        _ = try Migrator(migrations: all).migrate(on: connection)
        #expect(try table(of: old, connection) == ["allocations_before_006"])

        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: connection)
        let new = try RunStore(connection).save(try Allocator().allocate(input.scenario), input: input, startedAt: Date(), computeMilliseconds: 1).id
        #expect(new > old)
        #expect(try table(of: new, connection) == ["allocations_run_\(new)"])
        let indexes: Int = try connection.queryFirst(
            "SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE 'CREATE UNIQUE INDEX%'",
            ["allocations_run_\(new)"])!.decode("n")
        #expect(indexes == 1)
        #expect(try table(of: old, connection) == ["allocations_before_006"])
        #expect(try InvariantCheck(connection).violations().isEmpty)
        // The key holds across the partition too.
        #expect(throws: DatabaseError.self) {
            try connection.execute(
                "INSERT INTO allocations SELECT * FROM allocations WHERE run_id = $1 LIMIT 1", [new])
        }
    }

    @Test("a run's table that was never attached is named by db check")
    func strayTableIsReported() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try connection.executeScript("CREATE TABLE allocations_run_999 (LIKE allocations)")
        #expect(try InvariantCheck(connection).violations()
            == ["every run row belongs to a stored run: table allocations_run_999 holds a run's allocations but is not a partition of allocations"])
    }
}

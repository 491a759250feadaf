import Allocation
import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

/// The check a run makes when it commits: whatever interleaving, no line of
/// the stored plan holds more than the line has open under the run's lock.
@Suite("The plan at commit")
struct CommitCheckTests {
    /// The interleaving of issue 11: session A cancels a line and holds its
    /// transaction open; another line is cancelled and committed; the run
    /// reads its input (A's line still open), computes, and waits for its
    /// lock at commit; A commits. The audit event of A's cancellation is
    /// older than the other one, so a check of "events newer than the run's
    /// read" misses it.
    @Test("a cancellation that began before the run read its input and committed while the run waited is trimmed")
    func cancellationOverlappingTheRead() throws {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        let admin = try database.connect()
        try AllocationStory.load(admin)
        let url = database.url(asUser: login)
        @Sendable func appConnection() throws -> Connection { try Connection(configuration: ConnectionConfiguration(connectionString: url)) }
        let held: Int = try admin.queryFirst(
            "SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.reference = 'PO-H1'")!.decode("id")

        // Session A cancels PO-H1's line and keeps its transaction open.
        let sessionA = try appConnection()
        try sessionA.executeScript("BEGIN")
        try sessionA.execute("SELECT set_config('chipsales.reason', 'withdrawn', true)")
        try sessionA.execute("UPDATE order_lines SET cancelled_qty = quantity - shipped_qty WHERE id = $1", [held])
        // Another line is cancelled, and that commits.
        let other = try appConnection()
        _ = try OrderStore(other).cancel(order: try AllocationStory.order("PO-T1", other), line: 1, reason: "gone")

        // The run reads (PO-H1 still open for it) and computes.
        let runner = try appConnection()
        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: runner)
        let result = try Allocator().allocate(input.scenario)
        let given = result.allocations.filter { $0.order == PlanInput.lineKey(held) }.reduce(0) { $0 + $1.quantity }
        #expect(given > 0, "the run should give PO-H1 chips for this test to mean anything")

        // It stores the run on another thread, where it waits for A at its lock.
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            do {
                let saved = try RunStore(try appConnection()).save(result, input: input, startedAt: Date(), computeMilliseconds: 1)
                outcome.set("saved \(saved.trimmed)")
            } catch {
                outcome.set("\(error)")
            }
            done.signal()
        }
        let deadline = Date().addingTimeInterval(60)
        while try admin.queryFirst(
            "SELECT 1 AS waiting FROM pg_locks WHERE relation = 'order_lines'::regclass AND NOT granted") == nil {
            #expect(Date() < deadline, "the run never waited for session A")
            guard Date() < deadline else { break }
            Thread.sleep(forTimeInterval: 0.01)
        }
        try sessionA.executeScript("COMMIT")
        done.wait()

        #expect(outcome.value == "saved \(given)", "\(outcome.value)")
        let holds: Int = try admin.queryFirst(
            "SELECT coalesce(sum(quantity), 0)::int AS n FROM allocations WHERE run_id = (SELECT run_id FROM current_plan) AND order_line_id = $1",
            [held])!.decode("n")
        #expect(holds == 0)
        #expect(try InvariantCheck(admin).violations() == [])
        #expect(try RunStore(admin).history().first?.trimmedChips == given)
    }

    /// The commit finds the lines to trim by transaction (schema 015): a change
    /// the run's snapshot saw is not among them, one it did not see is.
    @Test("every change to a line is recorded with its transaction, by the database alone; the lines a run's snapshot did not see are the changed ones after its read")
    func changesRecordedByTransaction() throws {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        let admin = try database.connect()
        try AllocationStory.load(admin)
        let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        func lineID(_ reference: String) throws -> Int {
            try admin.queryFirst(
                "SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.reference = $1 AND l.line_no = 1",
                [reference])!.decode("id")
        }
        func unseen(by snapshot: String) throws -> [Int] {
            try admin.execute(
                """
                SELECT DISTINCT order_line_id FROM order_line_changes
                WHERE NOT pg_visible_in_snapshot(xact, $1::pg_snapshot) ORDER BY order_line_id
                """, [snapshot]).map { try $0.decode("order_line_id") }
        }

        _ = try OrderStore(app).cancel(order: try AllocationStory.order("PO-T1", app), line: 1, reason: "before the read")
        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: app)
        #expect(try unseen(by: input.snapshot) == [])
        _ = try OrderStore(app).cancel(order: try AllocationStory.order("PO-H1", app), line: 1, reason: "after the read")
        #expect(try unseen(by: input.snapshot) == [try lineID("PO-H1")])
        let recorded: Int = try admin.queryFirst("SELECT count(*)::int AS n FROM order_line_changes WHERE order_line_id = $1",
                                                 [try lineID("PO-T1")])!.decode("n")
        #expect(recorded == 1)

        // Only the database writes the record, and the app cannot read or change it.
        for sql in ["INSERT INTO order_line_changes (order_line_id) VALUES (1)", "SELECT count(*) FROM order_line_changes",
                    "DELETE FROM order_line_changes"] {
            let error = #expect(throws: DatabaseError.self, "\(sql)") { try app.execute(sql) }
            #expect(error?.sqlState?.rawValue == "42501", "\(sql): \(String(describing: error))")
        }
    }
}

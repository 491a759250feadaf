import Allocation
import Database
import Domain
import Foundation
import Store
import TestSupport
import Testing
import Values

/// Shipments go through the plan (issue 12, section 4), as an order-desk
/// login holding only `chipsales_app` does them.
///
/// The story's first plan (as of 2027-W10) gives AC-1 208 chips in W10, 80 in
/// W11 and 32 in W12 (all of its 320); AC-2 48 in W12 and 128 in W13 (176 of
/// 320); PO-T1 80, 80 and 32 in W11 to W13; PO-H1 nothing.
@Suite("Shipments through the plan")
struct ShipmentTests {
    let w10 = AllocationStory.asOf
    var w11: Period { w10.adding(1) }
    var w12: Period { w10.adding(2) }

    /// A database with the story, an app login, and (unless `run` is false)
    /// the first run stored by that login.
    struct World {
        let database: TestDatabase
        let login: String
        let admin: Connection
        let app: Connection

        func appConnection() throws -> Connection {
            try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        }

        func order(_ reference: String) throws -> Int { try AllocationStory.order(reference, admin) }

        func line(_ reference: String) throws -> Int {
            try admin.queryFirst(
                "SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.reference = $1", [reference])!.decode("id")
        }

        /// Stores a run as the job does, as the app login.
        @discardableResult
        func run(on connection: Connection? = nil) throws -> Int {
            let connection = try connection ?? appConnection()
            let input = try PlanInput.read(asOf: AllocationStory.asOf, on: connection)
            return try RunStore(connection).save(try Allocator().allocate(input.scenario), input: input, startedAt: Date(), computeMilliseconds: 1).id
        }

        /// Everything a refused shipment must leave as it was.
        func digest() throws -> String {
            try admin.queryFirst(
                """
                SELECT concat_ws(' | ',
                    (SELECT string_agg(concat_ws(',', id, shipped_qty), ';' ORDER BY id) FROM order_lines),
                    (SELECT count(*) FROM inventory_movements), (SELECT string_agg(on_hand::text, ',') FROM inventory_balances),
                    (SELECT count(*) FROM order_events), (SELECT count(*) FROM shipment_draws),
                    (SELECT string_agg(concat_ws(',', run_id, order_line_id, week, quantity), ';' ORDER BY run_id, order_line_id, week)
                     FROM allocations)) AS digest
                """)!.decode("digest")
        }

        /// Runs `work` on another thread, on a new connection of the app login,
        /// while `held` keeps its transaction open; once `work` waits for a
        /// lock, commits `held`. Returns what `work` returned, or its error.
        func committing(_ held: Connection, after work: @escaping @Sendable (Connection) throws -> String) throws -> String {
            let outcome = Outcome()
            let done = DispatchSemaphore(value: 0)
            let url = database.url(asUser: login)
            DispatchQueue.global().async {
                do {
                    outcome.set(try work(try Connection(configuration: ConnectionConfiguration(connectionString: url))))
                } catch {
                    outcome.set("\(error)")
                }
                done.signal()
            }
            try ShipmentTests.waitForALockWaiter(admin)
            try held.executeScript("COMMIT")
            done.wait()
            return outcome.value
        }

        func drop() {
            database.drop()
            database.dropRole(login)
        }
    }

    func world(run: Bool = true, receive: Int = 0) throws -> World {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_app")
        let admin = try database.connect()
        try AllocationStory.load(admin)
        let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        let world = World(database: database, login: login, admin: admin, app: app)
        if run { try world.run(on: app) }
        if receive > 0 { _ = try InventoryStore(app).receive(sku: "TRN3", quantity: receive, note: "delivery") }
        return world
    }

    @Test("a line ships what the plan has due through the week; more is refused with the confirmed and due figures, and nothing changes; a later week allows more")
    func withinPlan() throws {
        let world = try world(receive: 1000)
        defer { world.drop() }
        let store = OrderStore(world.app)
        let ac1 = try world.order("AC-1")

        let first = try store.ship(order: ac1, line: 1, quantity: 128, through: w10)
        #expect(first.plan == PlanDue(run: 1, week: w10, confirmed: 208, shipped: 0, due: 208))
        #expect(first.beyondPlan == 0)
        #expect(try store.planDue(order: ac1, line: 1, through: w10) == PlanDue(run: 1, week: w10, confirmed: 208, shipped: 128, due: 80))

        let before = try world.digest()
        let refused = #expect(throws: ValidationFailure.self) { try store.ship(order: ac1, line: 1, quantity: 96, through: w10) }
        #expect(refused?.description == """
            order \(ac1) line 1: quantity 96 is more than is due through 2027-W10: the plan (run 1) confirms 208 chips to the line \
            by then, 128 of them shipped, 80 due; ship at most 80, give a later --week, or ship --beyond-plan with a --reason
            """)
        #expect(try world.digest() == before)

        // Through W11 the plan confirms 80 more.
        let later = try store.ship(order: ac1, line: 1, quantity: 96, through: w11)
        #expect(later.plan == PlanDue(run: 1, week: w11, confirmed: 288, shipped: 128, due: 160))
        #expect(later.order.lines[0].shipped == 224)
        // The chips came out of the plan's earliest weeks.
        #expect(try AllocationStory.plan(world.app).filter { $0.hasPrefix("AC-1 ") } == ["AC-1 2027-W11 64", "AC-1 2027-W12 32"])
        #expect(try store.planDue(order: ac1, line: 1, through: w12) == PlanDue(run: 1, week: w12, confirmed: 320, shipped: 224, due: 96))
        // The default week is the current one, long before the story's plan: nothing is due yet.
        let now = #expect(throws: ValidationFailure.self) { try store.ship(order: ac1, line: 1, quantity: 16) }
        #expect(now?.problem.contains("confirms 0 chips to the line by then, 0 of them shipped, 0 due; give a later --week") == true)
        #expect(try InvariantCheck(world.app).violations() == [])
        #expect(try InvariantCheck(world.app).warnings() == [])
    }

    /// Before schema 011 a shipment took chips from the plan only when the plan
    /// then held more than the line had open: AC-2 (176 of 320 planned) kept
    /// its 48 chips of W12 after shipping them, and they could ship twice.
    @Test("a shipment takes its chips out of the plan even when the line has more open than the plan gives it")
    func lineWithBacklog() throws {
        let world = try world(receive: 1000)
        defer { world.drop() }
        let store = OrderStore(world.app)
        let ac2 = try world.order("AC-2")
        _ = try store.ship(order: ac2, line: 1, quantity: 48, through: w12)
        #expect(try AllocationStory.plan(world.app).filter { $0.hasPrefix("AC-2 ") } == ["AC-2 2027-W13 128"])
        let again = #expect(throws: ValidationFailure.self) { try store.ship(order: ac2, line: 1, quantity: 16, through: w12) }
        #expect(again?.problem.contains("confirms 48 chips to the line by then, 48 of them shipped, 0 due") == true)
        #expect(try InvariantCheck(world.app).violations() == [])
    }

    @Test("with no plan yet nothing is due: a shipment must go beyond the plan, with a reason")
    func noPlan() throws {
        let world = try world(run: false)
        defer { world.drop() }
        let store = OrderStore(world.app)
        let ac1 = try world.order("AC-1")
        let before = try world.digest()
        let refused = #expect(throws: ValidationFailure.self) { try store.ship(order: ac1, line: 1, quantity: 16, through: w10) }
        #expect(refused?.problem == """
            16 is more than is due through 2027-W10: there is no plan yet (no allocation run), so nothing is due; \
            run the allocation, or ship --beyond-plan with a --reason
            """)
        let noReason = #expect(throws: ValidationFailure.self) {
            try store.ship(order: ac1, line: 1, quantity: 16, through: w10, beyondPlan: true, reason: "  ")
        }
        #expect(noReason?.field == "reason")
        // Shipping reads the plan under a lock, which a REPEATABLE READ snapshot would outdate.
        let stale = #expect(throws: DatabaseError.self) {
            try world.app.transaction(isolation: .repeatableRead) { tx in
                _ = try tx.execute("SELECT * FROM ship_order_line($1, 16, '2027-W10', true, 'x')", [try world.line("AC-1")])
            }
        }
        #expect(stale?.sqlState?.rawValue == "55000")
        #expect(try world.digest() == before)

        let shipped = try store.ship(order: ac1, line: 1, quantity: 16, through: w10, beyondPlan: true, reason: "first samples")
        #expect(shipped.plan == PlanDue(run: nil, week: w10, confirmed: 0, shipped: 0, due: 0) && shipped.beyondPlan == 16)
        #expect(try InvariantCheck(world.app).violations() == [])
        #expect(try InvariantCheck(world.app).warnings()
                == ["shipped beyond the plan: order \(ac1) line 1: 16 chips shipped on \(Self.today) by \(world.login), 0 of them due through 2027-W10 (no plan); reason: first samples"])
    }

    /// The escalation of the issue: chips ship to a customer the plan gave
    /// nothing, from the stock the plan had counted on for others' frozen lots.
    @Test("a shipment beyond the plan is in the audit trail, the ledger and db check's warnings; the next run releases the frozen lots the stock no longer covers")
    func beyondPlan() throws {
        let world = try world()
        defer { world.drop() }
        let store = OrderStore(world.app)
        let h1 = try world.order("PO-H1"), ac1 = try world.order("AC-1")
        let refused = #expect(throws: ValidationFailure.self) { try store.ship(order: h1, line: 1, quantity: 48, through: w10) }
        #expect(refused?.problem.contains("confirms 0 chips") == true)

        let shipment = try store.ship(order: h1, line: 1, quantity: 48, through: w10, beyondPlan: true, reason: "datacenter launch escalation")
        #expect(shipment.beyondPlan == 48 && shipment.order.lines[0].shipped == 48)
        let event = try #require(try store.events(h1).last)
        #expect(event.action == "shipped" && event.actor == world.login)
        #expect(event.reason == "beyond the plan: datacenter launch escalation (48 chips shipped, 0 due through 2027-W10)")
        let movement = try #require(try InventoryStore(world.app).movements(limit: 1).first)
        #expect(movement.kind == .shipment && movement.beyondPlan && movement.note == "datacenter launch escalation")
        #expect(try InvariantCheck(world.app).violations() == [])
        #expect(try InvariantCheck(world.app).warnings()
                == ["shipped beyond the plan: order \(h1) line 1: 48 chips shipped on \(Self.today) by \(world.login), 0 of them due through 2027-W10 (run 1); reason: datacenter launch escalation"])

        // W10 now has 160 chips (no stock left, 160 supply) for 208 frozen chips of AC-1.
        let second = try world.run()
        #expect(try RunStore(world.app).releases(run: second)
                == [Release(order: ac1, line: 1, customer: "aws-cloud", sku: "TRN3", week: w10, quantity: 48)])
        #expect(try RunStore(world.app).history().first?.releasedChips == 48)
        #expect(try AllocationStory.plan(world.app).contains("AC-1 2027-W10 160"))
        #expect(try InvariantCheck(world.app).violations() == [])
    }

    /// Session A ships 160 of AC-1's 208 chips due through W10 and holds its
    /// transaction open; session B asks for 160 too and waits for A's lock on
    /// the line; A commits. B then sees what A took from the plan.
    @Test("two shipments of the same due chips at the same moment: one ships, the other is refused")
    func concurrentShipments() throws {
        let world = try world(receive: 1000)
        defer { world.drop() }
        let ac1 = try world.order("AC-1"), line = try world.line("AC-1")
        let sessionA = try world.appConnection()
        try sessionA.executeScript("BEGIN")
        _ = try sessionA.execute("SELECT * FROM ship_order_line($1, 160, '2027-W10', false, NULL)", [line])

        let week = w10
        let outcome = try world.committing(sessionA, after: { sessionB in
            _ = try OrderStore(sessionB).ship(order: ac1, line: 1, quantity: 160, through: week)
            return "shipped"
        })
        #expect(outcome == """
            order \(ac1) line 1: quantity 160 is more than is due through 2027-W10: the plan (run 1) confirms 208 chips to the line \
            by then, 160 of them shipped, 48 due; ship at most 48, give a later --week, or ship --beyond-plan with a --reason
            """)
        #expect(try OrderStore(world.app).find(ac1)?.lines[0].shipped == 160)
        #expect(try InventoryStore(world.app).onHand("TRN3") == 1048 - 160)
        #expect(try InvariantCheck(world.app).violations() == [])
    }

    /// The shipment begins before the run reads its input (so the input still
    /// counts its chips as open and planned) and commits while the run waits
    /// at its commit. AC-2 has more open than planned, so no trim to what is
    /// open would take the chips back: only the shipment's own record does.
    @Test("a shipment in flight while a run computes is taken out of the new plan, earliest weeks first")
    func shipmentDuringRun() throws {
        let world = try world()
        defer { world.drop() }
        let line = try world.line("AC-2")
        let sessionA = try world.appConnection()
        try sessionA.executeScript("BEGIN")
        _ = try sessionA.execute("SELECT * FROM ship_order_line($1, 48, '2027-W12', false, NULL)", [line])

        let runner = try world.appConnection()
        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: runner)
        let result = try Allocator().allocate(input.scenario)
        let given = result.allocations.filter { $0.order == PlanInput.lineKey(line) }.map { "AC-2 \($0.period) \($0.quantity)" }.sorted()
        #expect(given == ["AC-2 2027-W12 48", "AC-2 2027-W13 128"], "the new run should plan AC-2 as the first did")

        let outcome = try world.committing(sessionA, after: { writer in
            let saved = try RunStore(writer).save(result, input: input, startedAt: Date(), computeMilliseconds: 1)
            return "saved run \(saved.id), trimmed \(saved.trimmed)"
        })
        #expect(outcome == "saved run 2, trimmed 48")
        #expect(try AllocationStory.plan(world.app).filter { $0.hasPrefix("AC-2 ") } == ["AC-2 2027-W13 128"])
        let again = #expect(throws: ValidationFailure.self) {
            try OrderStore(world.app).ship(order: try world.order("AC-2"), line: 1, quantity: 16, through: w12)
        }
        #expect(again?.problem.contains("the plan (run 2) confirms 0 chips") == true)
        #expect(try InvariantCheck(world.app).violations() == [])
    }

    @Test("db check names a shipment beyond the plan that is not marked so, written behind the shipping function's back")
    func checkFindsUnplannedShipment() throws {
        let world = try world()
        defer { world.drop() }
        let line = try world.line("PO-H1"), h1 = try world.order("PO-H1")
        try world.admin.transaction { tx in
            let movement: Int = try tx.queryFirst(
                """
                INSERT INTO inventory_movements (sku, kind, quantity, order_line_id, plan_run, plan_week, xact)
                VALUES ('TRN3', 'shipment', -16, $1, 1, '2027-W10', pg_current_xact_id()) RETURNING id
                """, [line])!.decode("id")
            try tx.execute("UPDATE order_lines SET shipped_qty = shipped_qty + 16 WHERE id = $1", [line])
            #expect(movement > 0)
        }
        let violations = try InvariantCheck(world.app).violations()
        #expect(violations.count == 1)
        #expect(violations.first?.hasPrefix(
            "shipments within the plan: order \(h1) line 1: movement 2 shipped 16 chips on \(Self.today), but the plan had only 0 due through 2027-W10") == true,
            "\(violations)")
        // A shipment recorded without the week it shipped against is refused outright.
        let unplanned = #expect(throws: DatabaseError.self) {
            try world.admin.execute("INSERT INTO inventory_movements (sku, kind, quantity, order_line_id) VALUES ('TRN3', 'shipment', -16, $1)", [line])
        }
        #expect(unplanned?.constraint == "movements_shipment_planned")
    }

    /// Today's date as db check prints it (UTC).
    static var today: String {
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "UTC")
        format.dateFormat = "yyyy-MM-dd"
        return format.string(from: Date())
    }

    /// Waits until a session of this database waits for a lock another holds.
    static func waitForALockWaiter(_ admin: Connection) throws {
        let deadline = Date().addingTimeInterval(60)
        while try admin.queryFirst(
            """
            SELECT 1 AS waiting FROM pg_locks
            WHERE NOT granted AND pid IN (SELECT pid FROM pg_stat_activity WHERE datname = current_database())
            """) == nil {
            guard Date() < deadline else {
                Issue.record("no session ever waited for a lock")
                return
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}

import Allocation
import Database
import Domain
import Foundation
import Store
import TestSupport
import Testing
import Values

@Suite("Least-privilege roles")
struct RoleTests {
    @Test("a reporting login reads every report view and nothing else, and cannot write")
    func reportingRole() throws {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_reporting")
        defer { database.drop(); database.dropRole(login) }
        let admin = try database.connect()
        try AllocationStory.load(admin)
        let reporter = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        // A plan and a second run, so per-run reports have rows, for the current plan and by --run.
        for _ in 1...2 {
            let input = try PlanInput.read(asOf: AllocationStory.asOf, on: admin)
            _ = try RunStore(admin).save(try Allocator().allocate(input.scenario), input: input, startedAt: Date(), computeMilliseconds: 1)
        }
        for report in Report.allCases {
            let current = try ReportStore(reporter).read(report, filter: ReportFilter())
            #expect(!current.rows.isEmpty, "\(report)")
            #expect(current.rows.count == (try ReportStore(admin).read(report, filter: ReportFilter())).rows.count, "\(report)")
            if report.filters.run {
                #expect(try ReportStore(reporter).read(report, filter: ReportFilter(run: 1)).run == 1, "\(report)")
            }
        }
        #expect(try ReportStore(reporter).backlogHistory().count == 2)
        #expect(try reporter.queryFirst("SELECT count(*) AS n FROM report_order_book") != nil)
        let denied: [StaticString] = [
            "SELECT * FROM order_lines LIMIT 1",
            "SELECT * FROM customers LIMIT 1",
            "SELECT * FROM allocations LIMIT 1",
            "SELECT * FROM order_events LIMIT 1",
            "SELECT * FROM current_plan",
            "SELECT * FROM allocation_runs",
            "SELECT * FROM allocation_values",
            "INSERT INTO products (sku, name, lot_size, unit_price, currency) VALUES ('X1', 'x', 1, 1, 'USD')",
            "UPDATE customers SET tier = 1",
            "DELETE FROM supply_capacity",
            "CREATE TABLE sneaky (n int)",
        ]
        for statement in denied {
            let error = #expect(throws: DatabaseError.self, "\(statement)") { try reporter.execute("\(statement)") }
            #expect(error?.sqlState == .insufficientPrivilege, "\(statement): \(String(describing: error))")
        }
    }

    @Test("an app login runs the order desk and the job, but cannot change the schema or the audit trail")
    func appRole() throws {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        try AllocationStory.load(try database.connect())
        let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        // Everyday work.
        let order = try OrderStore(app).create(OrderDraft(
            customer: "helios-dc", reference: "PO-APP", lines: [LineDraft(number: 1, parsing: "TRN3:16:2027-W10")]), weeks: .includingPastWeeks).order
        _ = try OrderStore(app).ship(order: order.id, line: 1, quantity: 16, beyondPlan: true, reason: "before the first run")
        _ = try InventoryStore(app).receive(sku: "TRN3", quantity: 16, note: nil)
        try SupplyStore(app).set(SupplyEntry(sku: "TRN3", week: Period("2027-W14")!, quantity: 160))
        _ = try PolicyStore(app).set(PolicyChanges(frozenWeeks: 1))
        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: app)
        let lock = try RunStore(app).lock(wait: false)
        _ = try RunStore(app).save(try Allocator().allocate(input.scenario), input: input, startedAt: Date(), computeMilliseconds: 1)
        try lock.release()
        _ = try OrderStore(app).cancel(order: try AllocationStory.order("AC-2", app), line: nil, reason: "moved")
        #expect(try OrderStore(app).events(order.id).map(\.action) == ["created", "shipped"])
        // What it may not do.
        let denied: [StaticString] = [
            "UPDATE order_events SET actor = 'me'",
            "DELETE FROM order_events",
            "INSERT INTO order_events (order_id, action) VALUES (1, 'created')",
            "UPDATE inventory_balances SET on_hand = 1000000",
            "ALTER TABLE orders ADD COLUMN sneaky int",
            "DROP TABLE allocations",
            "CREATE TABLE sneaky (n int)",
            "DELETE FROM schema_migrations",
        ]
        for statement in denied {
            let error = #expect(throws: DatabaseError.self, "\(statement)") { try app.execute("\(statement)") }
            #expect(error?.sqlState == .insufficientPrivilege || error?.message.contains("must be owner") == true,
                    "\(statement): \(String(describing: error))")
        }
    }

    @Test("the audit trail, the ledger, runs, orders and policies name the login that acted")
    func actors() throws {
        let database = try TestDatabase.make()
        let alice = try database.makeLogin(in: "chipsales_app")
        let bob = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(alice); database.dropRole(bob) }
        try AllocationStory.load(try database.connect())
        func login(_ name: String) throws -> Connection {
            try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: name)))
        }
        let asAlice = try login(alice), asBob = try login(bob)
        let order = try OrderStore(asAlice).create(OrderDraft(
            customer: "tokyo-compute", reference: "PO-WHO", lines: [LineDraft(number: 1, parsing: "TRN3:32:2027-W10")]),
            weeks: .includingPastWeeks).order.id
        _ = try InventoryStore(asAlice).receive(sku: "TRN3", quantity: 64, note: "delivery")
        _ = try OrderStore(asBob).ship(order: order, line: 1, quantity: 16, beyondPlan: true, reason: "before the first run")
        _ = try OrderStore(asBob).cancel(order: order, line: 1, reason: "rest not needed")
        _ = try PolicyStore(asBob).set(PolicyChanges(frozenWeeks: 1))
        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: asBob)
        _ = try RunStore(asBob).save(try Allocator().allocate(input.scenario), input: input, startedAt: Date(), computeMilliseconds: 1)

        #expect(try OrderStore(asAlice).events(order).map { "\($0.action) \($0.actor)" }
                == ["created \(alice)", "shipped \(bob)", "cancelled \(bob)"])
        #expect(try asAlice.queryFirst("SELECT created_by FROM orders WHERE id = $1", [order])!.decode("created_by", as: String.self) == alice)
        #expect(try InventoryStore(asAlice).movements(limit: 2).map { "\($0.kind.rawValue) \($0.actor)" }
                == ["shipment \(bob)", "receipt \(alice)"])
        #expect(try PolicyStore(asAlice).current().setBy == bob)
        #expect(try RunStore(asAlice).history().first?.runBy == bob)
    }

    /// What an app login might try behind the CLI's back. Each is refused,
    /// nothing changes, and `db check` stays clean.
    @Test("an app login cannot rewrite orders, the ledger, shipments or runs behind the CLI's back")
    func appRoleAttacks() throws {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        let admin = try database.connect()
        try AllocationStory.load(admin)
        let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: app)
        let run = try RunStore(app).save(try Allocator().allocate(input.scenario), input: input, startedAt: Date(), computeMilliseconds: 1).id
        _ = try OrderStore(app).cancel(order: try AllocationStory.order("PO-T1", app), line: 1, reason: "gone")
        let line: Int = try app.queryFirst(
            "SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.reference = 'AC-1'")!.decode("id")
        let runColumns = """
            (policy_id, as_of, started_at, open_lines, customers, skus, supply_weeks, fixed_rows, supply_chips,
             on_hand_chips, demand_chips, allocated_chips, backlog_chips, compute_ms)
            """
        let runValues = "((SELECT max(id) FROM allocation_policies), '2027-W10', now(), 1, 1, 1, 1, 0, 16, 0, 16, 16, 0, 1)"
        let denied = "42501", check = "23514", notInState = "55000"
        let attacks: [(sql: String, state: String)] = [
            ("UPDATE orders SET reference = 'PO-REWRITTEN'", denied),
            ("UPDATE orders SET placed_at = '2000-01-01'", denied),
            ("UPDATE orders SET created_by = 'someone-else'", denied),
            ("INSERT INTO orders (customer_id, reference, created_by) VALUES ('helios-dc', 'PO-X', 'someone-else')", denied),
            ("INSERT INTO orders (customer_id, reference, placed_at) VALUES ('helios-dc', 'PO-X', '2000-01-01')", denied),
            ("INSERT INTO orders (id, customer_id, reference) OVERRIDING SYSTEM VALUE VALUES (999, 'helios-dc', 'PO-X')", denied),
            ("INSERT INTO inventory_movements (sku, kind, quantity, note, actor) VALUES ('TRN3', 'receipt', 16, 'x', 'someone-else')", denied),
            ("INSERT INTO inventory_movements (sku, kind, quantity, note, at) VALUES ('TRN3', 'receipt', 16, 'x', '2000-01-01')", denied),
            ("INSERT INTO inventory_movements (sku, kind, quantity, order_line_id) VALUES ('TRN3', 'shipment', -16, \(line))", denied),
            ("INSERT INTO inventory_movements (sku, kind, quantity) VALUES ('TRN3', 'shipment', -16)", check),
            ("UPDATE order_lines SET shipped_qty = shipped_qty + 16 WHERE id = \(line)", denied),
            ("UPDATE order_lines SET line_no = line_no + 10", denied),
            ("UPDATE order_lines SET unit_price = 0", denied),
            ("UPDATE order_lines SET cancelled_qty = 0 WHERE cancelled_qty > 0", check),
            ("UPDATE order_lines SET cancelled_qty = cancelled_qty + 16 WHERE id = \(line)", check),
            ("INSERT INTO allocation_runs \(runColumns) VALUES \(runValues)", denied),
            ("INSERT INTO allocation_runs (id, \(runColumns.dropFirst()) OVERRIDING SYSTEM VALUE VALUES (1000, \(runValues.dropFirst())", denied),
            ("UPDATE allocation_runs SET run_by = 'someone-else'", denied),
            ("UPDATE current_plan SET run_id = run_id", denied),
            ("DELETE FROM current_plan", denied),
            ("INSERT INTO allocations SELECT * FROM allocations WHERE run_id = \(run) LIMIT 1", denied),
            ("INSERT INTO allocations_run_\(run) (run_id, order_line_id, week, quantity, sku, lot_size, customer_id) VALUES (\(run), \(line), '2027-W13', 4000, 'TRN3', 16, 'aws-cloud')", denied),
            ("UPDATE allocations SET quantity = quantity + 16", denied),
            ("DELETE FROM allocations", denied),
            ("DROP TABLE allocations_run_\(run)", denied),
            ("INSERT INTO allocation_explanations (run_id, customer_id, sku, week, demand, fixed, guaranteed, allocated, tier, weight, held) VALUES (\(run), 'zz', 'TRN3', '2027-W10', 0, 0, 0, 0, 1, 1, false)", denied),
            ("INSERT INTO allocation_backlog_summary (run_id, customer_id, requested_week, held, lines, chips) VALUES (999, 'x', '2027-W10', false, 1, 16)", denied),
            ("UPDATE allocation_periods SET available = available * 2", denied),
            ("DELETE FROM allocation_values", denied),
            ("INSERT INTO allocation_policies (method, internal_floor, frozen_weeks, history_weeks, set_by) VALUES ('fair', 0, 2, 13, 'someone-else')", denied),
            ("UPDATE customers SET created_at = '2000-01-01'", denied),
            ("UPDATE products SET unit_price = 1", denied),
            ("SELECT allocation_run_commit(\(run), pg_current_snapshot())", notInState),
            ("SELECT trim_plan(\(run), NULL, NULL)", denied),
            ("SELECT * FROM run_lines_to_trim(\(run))", denied),
            ("SELECT * FROM take_from_plan(\(run), ARRAY[\(line)::bigint], ARRAY[16::bigint], NULL)", denied),
            ("INSERT INTO allocation_releases (run_id, order_line_id, week, quantity, sku, customer_id) VALUES (\(run), \(line), '2027-W10', 16, 'TRN3', 'aws-cloud')", denied),
            ("INSERT INTO shipment_draws (movement_id, run_id, order_line_id, week, quantity) SELECT id, \(run), \(line), '2027-W10', 16 FROM inventory_movements LIMIT 1", denied),
            ("UPDATE inventory_movements SET beyond_plan = false", denied),
            ("INSERT INTO inventory_movements (sku, kind, quantity, note, beyond_plan) VALUES ('TRN3', 'receipt', 16, 'x', true)", denied),
        ]
        let before = try Self.digest(admin)
        for attack in attacks {
            let error = #expect(throws: DatabaseError.self, "\(attack.sql)") { try app.execute(attack.sql) }
            #expect(error?.sqlState?.rawValue == attack.state, "\(attack.sql): \(String(describing: error))")
        }
        // A run begun and never finished cannot commit, and leaves no table behind.
        let unfinished = #expect(throws: DatabaseError.self) {
            try app.transaction { tx in _ = try tx.execute("SELECT allocation_run_begin\(runValues)") }
        }
        #expect(unfinished?.sqlState?.rawValue == notInState, "\(String(describing: unfinished))")
        // A run that claims chips beyond its stock flow is refused at commit.
        let oversold = #expect(throws: DatabaseError.self) {
            try app.transaction { tx in
                let id: Int = try tx.queryFirst("SELECT allocation_run_begin\(runValues) AS id")!.decode("id")
                try tx.execute(
                    "INSERT INTO allocations_run_\(id) VALUES ($1, $2, '2027-W10', 4000, 'TRN3', 16, 'aws-cloud')", [id, line])
                try tx.execute("INSERT INTO allocation_periods (run_id, sku, week, supply, available, allocated, carry) VALUES ($1, 'TRN3', '2027-W10', 160, 160, 160, 0)", [id])
                _ = try tx.execute("SELECT allocation_run_commit($1, pg_current_snapshot())", [id])
            }
        }
        #expect(oversold?.sqlState == .checkViolation, "\(String(describing: oversold))")
        // A run that holds more for a line than it has open is refused at
        // commit, though the week has the stock.
        let overLine = #expect(throws: DatabaseError.self) {
            try app.transaction { tx in
                let id: Int = try tx.queryOne("SELECT allocation_run_begin\(runValues) AS id").decode("id")
                let row = try tx.queryOne(
                    """
                    SELECT greatest(l.requested_week, '2027-W10')::text AS week, l.quantity - l.cancelled_qty - l.shipped_qty AS open
                    FROM order_lines l WHERE l.id = $1
                    """, [line])
                let week: String = try row.decode("week"), chips = (try row.decode("open", as: Int.self) / 16 + 1) * 16
                try tx.execute(
                    "INSERT INTO allocations_run_\(id) VALUES ($1, $2, $3, $4, 'TRN3', 16, 'aws-cloud')", [id, line, week, chips])
                try tx.execute(
                    "INSERT INTO allocation_periods (run_id, sku, week, supply, available, allocated, carry) VALUES ($1, 'TRN3', $2, 100000, 100000, $3::int, 100000 - $3::int)",
                    [id, week, chips])
                _ = try tx.execute("SELECT allocation_run_commit($1, pg_current_snapshot())", [id])
            }
        }
        #expect(overLine?.sqlState == .checkViolation, "\(String(describing: overLine))")
        #expect(overLine?.message.contains("more than an order line has open") == true, "\(String(describing: overLine?.message))")
        // Updated-at stamps are the database's, whatever the client sends.
        try app.execute("UPDATE customers SET updated_at = '2000-01-01' WHERE id = 'helios-dc'")
        #expect(try app.queryFirst("SELECT updated_at > now() - interval '1 hour' AS fresh FROM customers WHERE id = 'helios-dc'")!
            .decode("fresh", as: Bool.self))

        #expect(try Self.digest(admin) == before)
        #expect(try InvariantCheck(app).violations() == [])
    }

    /// Everything an attack could have changed, in one text.
    static func digest(_ connection: Connection) throws -> String {
        try connection.queryFirst(
            """
            SELECT concat_ws(' | ',
                (SELECT string_agg(concat_ws(',', id, reference, placed_at, created_by), ';' ORDER BY id) FROM orders),
                (SELECT string_agg(concat_ws(',', id, line_no, unit_price, quantity, cancelled_qty, shipped_qty), ';' ORDER BY id) FROM order_lines),
                (SELECT count(*) FROM order_events), (SELECT count(*) FROM inventory_movements),
                (SELECT string_agg(concat_ws(',', id, run_by, trimmed_chips), ';' ORDER BY id) FROM allocation_runs),
                (SELECT run_id FROM current_plan), (SELECT count(*) FROM allocation_policies),
                (SELECT string_agg(concat_ws(',', run_id, order_line_id, week, quantity), ';' ORDER BY run_id, order_line_id, week) FROM allocations),
                (SELECT count(*) FROM allocation_explanations), (SELECT count(*) FROM allocation_values),
                (SELECT count(*) FROM allocation_backlog_summary), (SELECT sum(available) FROM allocation_periods),
                (SELECT count(*) FROM allocation_releases), (SELECT count(*) FROM shipment_draws),
                (SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relname LIKE 'allocations_run_%' AND relkind = 'r'),
                (SELECT string_agg(unit_price::text, ',' ORDER BY sku) FROM products),
                (SELECT string_agg(created_at::text, ',' ORDER BY id) FROM customers)) AS digest
            """)!.decode("digest")
    }

    @Test("every object of the schema belongs to the owner role, also a run's partition and every function")
    func ownership() throws {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        let connection = try database.connect()
        // A run stored by an app login makes its partition: the owner's too.
        try AllocationStory.load(connection)
        let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: app)
        let run = try RunStore(app).save(try Allocator().allocate(input.scenario), input: input, startedAt: Date(), computeMilliseconds: 1).id
        #expect(try connection.queryFirst("SELECT to_regclass($1) IS NOT NULL AS made", ["allocations_run_\(run)"])!.decode("made", as: Bool.self))
        let stray = try connection.execute(
            """
            SELECT c.relname AS name FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'S')
              AND pg_get_userbyid(c.relowner) <> 'chipsales_owner'
            UNION ALL
            SELECT p.oid::regprocedure::text FROM pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace AND pg_get_userbyid(p.proowner) <> 'chipsales_owner'
            """).map { try $0.decode("name", as: String.self) }
        #expect(stray.isEmpty, "not owned by chipsales_owner: \(stray)")
    }
}

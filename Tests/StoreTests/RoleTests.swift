import Allocation
import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

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
        for report in Report.allCases where report != .runChange && report.filters.run == false {
            _ = try ReportStore(reporter).read(report, filter: ReportFilter())
        }
        #expect(try reporter.queryFirst("SELECT count(*) AS n FROM report_order_book") != nil)
        let denied: [StaticString] = [
            "SELECT * FROM order_lines LIMIT 1",
            "SELECT * FROM customers LIMIT 1",
            "SELECT * FROM allocations LIMIT 1",
            "SELECT * FROM order_events LIMIT 1",
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
        _ = try OrderStore(app).ship(order: order.id, line: 1, quantity: 16)
        _ = try InventoryStore(app).receive(sku: "TRN3", quantity: 16, note: nil)
        try SupplyStore(app).set(SupplyEntry(sku: "TRN3", week: ISOWeek("2027-W14")!, quantity: 160))
        _ = try PolicyStore(app).set(PolicyChanges(frozenWeeks: 1))
        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: app)
        try RunStore(app).lock(wait: false)
        _ = try RunStore(app).save(try Allocator().allocate(input.scenario), input: input, startedAt: Date(), computeMilliseconds: 1)
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

    @Test("every object of the schema belongs to the owner role")
    func ownership() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        let stray = try connection.execute(
            """
            SELECT c.relname FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'S')
              AND pg_get_userbyid(c.relowner) <> 'chipsales_owner'
            """).map { try $0.decode("relname", as: String.self) }
        #expect(stray.isEmpty, "not owned by chipsales_owner: \(stray)")
    }
}

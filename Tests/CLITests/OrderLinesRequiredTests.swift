import Database
import Foundation
import Store
import Testing
import TestSupport

/// An order is its lines: the CLI and the import store an order and its
/// lines in one transaction, and the database refuses an order that ends its
/// transaction without any (an app login could otherwise insert one, which
/// no command shows and which made `order create` of its reference crash).
@Suite("Every order has lines")
struct OrderLinesRequiredTests {
    let w1 = Weeks.text(1)
    /// Line 1 (16 chips of TRN3 in week $2) of the order with reference $1.
    static let firstLine = """
        INSERT INTO order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency)
        SELECT id, 1, 'TRN3', 16, 16, $2, 9800, 'USD' FROM orders WHERE reference = $1
        """

    @Test("the database refuses an order without lines from an app login; with its lines in one transaction it is stored")
    func refusedByTheDatabase() throws {
        let database = try TestDatabase.make()
        let admin = try database.connect()
        try Fixtures.seed(admin)
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))

        let bare = #expect(throws: DatabaseError.self) {
            try app.execute("INSERT INTO orders (customer_id, reference) VALUES ('helios-dc', 'PO-BARE')")
        }
        #expect(bare?.constraint == "orders_have_lines", "\(String(describing: bare))")
        // Two orders in one statement, only one of which gets a line.
        try app.executeScript("BEGIN")
        try app.execute("INSERT INTO orders (customer_id, reference) VALUES ('helios-dc', 'PO-A'), ('helios-dc', 'PO-B')")
        try app.execute(Self.firstLine, ["PO-A", w1])
        let half = #expect(throws: DatabaseError.self) { try app.executeScript("COMMIT") }
        #expect(half?.constraint == "orders_have_lines", "\(String(describing: half))")
        _ = try? app.executeScript("ROLLBACK")
        #expect(try Fixtures.count("orders", admin) == 0)

        // An order with its lines, as the CLI writes it, is stored.
        try app.executeScript("BEGIN")
        try app.execute("INSERT INTO orders (customer_id, reference) VALUES ('helios-dc', 'PO-OK')")
        try app.execute(Self.firstLine, ["PO-OK", w1])
        try app.executeScript("COMMIT")
        let env = ["DATABASE_URL": database.url(asUser: login)]
        let created = try runChipsales(["order", "create", "--customer", "tokyo-compute", "--reference", "PO-CLI", "--line", "TRN3:16:\(w1)"], environment: env)
        #expect(created.status == 0, "\(created.stderr)")
        let file = try Fixtures.file("orders.csv", "customer,reference,line,sku,quantity,week\nhelios-dc,PO-IMP,1,TRN3,32,\(w1)\nhelios-dc,PO-IMP2,1,TRN3,16,\(w1)\n")
        let imported = try runChipsales(["order", "import", file], environment: env)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try Fixtures.count("orders", admin) == 4)
        #expect(try InvariantCheck(admin).violations() == [])
    }

    @Test("an order stored without lines (before schema 013) is listed by db check, and entering its reference again is refused, not a crash")
    func bareOrderFromBefore() throws {
        let database = try TestDatabase.make()
        let admin = try database.connect()
        try Fixtures.seed(admin)
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        // What a client could store before schema 013: triggers off, as a superuser.
        try admin.executeScript("""
            SET session_replication_role = replica;
            INSERT INTO orders (customer_id, reference) VALUES ('helios-dc', 'PO-BARE');
            RESET session_replication_role;
            """)
        let id: Int = try #require(try admin.queryFirst("SELECT id FROM orders WHERE reference = 'PO-BARE'")).decode("id")
        #expect(try InvariantCheck(admin).violations() == ["every order has lines: order \(id) (helios-dc/PO-BARE) has no lines"])

        let env = ["DATABASE_URL": database.url(asUser: login)]
        let again = try runChipsales(["order", "create", "--customer", "helios-dc", "--reference", "PO-BARE", "--line", "TRN3:16:\(w1)"], environment: env)
        #expect(again.status == 65, "\(again.stderr)")
        #expect(again.stderr == "chipsales: order helios-dc/PO-BARE was already recorded as order \(id) with different content: it has no lines (stored outside chipsales; see chipsales db check)\n")
        let file = try Fixtures.file("orders.csv", "customer,reference,line,sku,quantity,week\nhelios-dc,PO-BARE,1,TRN3,16,\(w1)\n")
        let imported = try runChipsales(["order", "import", file], environment: env)
        #expect(imported.status == 65, "\(imported.stderr)")
        #expect(imported.stderr.contains("it has no lines"), "\(imported.stderr)")
        #expect(try Fixtures.count("order_lines", admin) == 0)

        // db check names such an order by its reference, which, stored before
        // the text rules, may hold an escape sequence: shown, never sent raw.
        try admin.executeScript("""
            SET session_replication_role = replica;
            INSERT INTO orders (customer_id, reference) VALUES ('helios-dc', E'PO-\\x1b[31mRED');
            RESET session_replication_role;
            """)
        let check = try runChipsales(["db", "check"], environment: ["DATABASE_URL": database.url])
        #expect(check.status == 1, "\(check.stderr)")
        #expect(check.stdout.contains("(helios-dc/PO-\\u{1B}[31mRED) has no lines"), "\(check.stdout)")
        #expect(!check.stdout.contains("\u{1B}"), "\(check.stdout)")
    }
}

import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

/// The statement triggers on inserted orders and lines (schemas 004, 005,
/// 012, 013) do every check and write an insert needs: these tests hold one
/// raw INSERT, as an app login, of lines of new orders and of a line added
/// to a recorded order, to its events and totals.
@Suite("The triggers on inserted lines")
struct LineInsertTriggerTests {
    @Test("one insert of new orders' lines and an added line writes one 'created' event per new order, an 'added' event, and the totals")
    func mixedInsertWritesEventsAndTotals() throws {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        let admin = try database.connect()
        try Fixtures.seed(admin)
        let (w1, w2, w3) = (Weeks.text(1), Weeks.text(2), Weeks.text(3))
        let old = try OrderStore(admin).create(
            try OrderDraft(customer: "helios-dc", reference: "PO-OLD", lines: [LineDraft(number: 1, parsing: "TRN3:64:\(w3)")])).order.id

        let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        try app.executeScript("BEGIN")
        let ids = try app.execute(
            "INSERT INTO orders (customer_id, reference) VALUES ('helios-dc', 'PO-A'), ('tokyo-compute', 'PO-B') RETURNING id, reference")
        let id = Dictionary(uniqueKeysWithValues: try ids.map { (try $0.decode("reference", as: String.self), try $0.decode("id", as: Int.self)) })
        try app.execute(
            """
            INSERT INTO order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency)
            VALUES ($1, 1, 'TRN3', 16, 32, $4, 1, 'USD'), ($1, 2, 'TRN3-BOARD', 64, 64, $5, 2, 'USD'),
                   ($1, 3, 'TRN3', 16, 16, $4, 1, 'USD'), ($2, 1, 'TRN3-SERVER', 256, 256, $6, 3, 'USD'),
                   ($3, 2, 'TRN3', 16, 16, $5, 4, 'USD')
            """, [id["PO-A"]!, id["PO-B"]!, old, w2, w1, w3])
        try app.executeScript("COMMIT")

        let events = try admin.execute(
            """
            SELECT o.reference, e.action, e.line_no, e.after->>'lines' AS lines, e.after->>'quantity' AS quantity,
                   e.after->>'first_week' AS first_week, e.after->>'last_week' AS last_week, e.after->>'sku' AS sku,
                   e.after->>'week' AS week, e.actor
            FROM order_events e JOIN orders o ON o.id = e.order_id ORDER BY e.action = 'added', e.order_id, e.id
            """)
        let seen = try events.map { row -> String in
            let fields = try ["reference", "action", "lines", "quantity", "first_week", "last_week", "sku", "week"].map {
                try row.decodeIfPresent($0, as: String.self) ?? "-"
            }
            return fields.joined(separator: " ") + " " + (try row.decodeIfPresent("line_no", as: Int.self).map(String.init) ?? "-")
        }
        #expect(seen == [
            "PO-OLD created 1 64 \(w3) \(w3) - - -",
            "PO-A created 3 112 \(w1) \(w2) - - -",
            "PO-B created 1 256 \(w3) \(w3) - - -",
            "PO-OLD added - 16 - - TRN3 \(w1) 2",
        ])
        #expect(try events.last!.decode("actor", as: String.self) == login)

        // The totals are the sums over the lines, customer by customer and week by week.
        let differing: Int = try admin.queryFirst(
            """
            WITH summed AS (
                SELECT o.customer_id, l.requested_week::text AS week, sum(l.quantity) AS ordered,
                       sum(l.cancelled_qty) AS cancelled, sum(l.shipped_qty) AS shipped
                FROM order_lines l JOIN orders o ON o.id = l.order_id GROUP BY 1, 2
            ), kept AS (SELECT customer_id, week::text AS week, ordered, cancelled, shipped FROM order_book_totals)
            SELECT count(*)::int AS n FROM ((SELECT * FROM summed EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM summed)) d
            """)!.decode("n")
        #expect(differing == 0)
        let ordered: Int = try admin.queryFirst(
            "SELECT ordered::int AS n FROM order_book_totals WHERE customer_id = 'helios-dc' AND week = $1", [w2])!.decode("n")
        #expect(ordered == 48)
    }

    @Test("an insert of no rows writes nothing and notes no order range")
    func emptyInsertWritesNothing() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        try connection.executeScript("BEGIN")
        try connection.execute("INSERT INTO orders (customer_id, reference) SELECT id, 'PO-NONE' FROM customers WHERE false")
        try connection.execute(
            """
            INSERT INTO order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency)
            SELECT id, 1, 'TRN3', 16, 16, '2026-W50', 1, 'USD' FROM orders WHERE false
            """)
        #expect(try Fixtures.count("order_line_checks", connection) == 0)
        try connection.executeScript("COMMIT")
        #expect(try Fixtures.count("order_events", connection) == 0)
        #expect(try Fixtures.count("order_book_totals", connection) == 0)
    }
}

import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

/// A clean file of new orders, each order's rows together, is imported in
/// two passes with its lines copied straight into `order_lines`; any other
/// file is staged row by row first. Both must store exactly the same.
@Suite("Import: the direct and the staged way store the same")
struct ImportPathTests {
    /// Everything an import writes, in a form two databases can compare:
    /// orders, lines, audit events and order book totals, by key.
    static func stored(_ connection: Connection) throws -> [String] {
        try connection.execute(
            """
            SELECT 'order ' || o.customer_id || '/' || o.reference || ' ' || o.created_by AS row FROM orders o
            UNION ALL
            SELECT concat_ws(' ', 'line', o.customer_id, o.reference, l.line_no, l.sku, l.lot_size, l.quantity,
                             l.requested_week, l.unit_price, l.currency, l.cancelled_qty, l.shipped_qty)
            FROM order_lines l JOIN orders o ON o.id = l.order_id
            UNION ALL
            SELECT concat_ws(' ', 'event', o.customer_id, o.reference, e.action, e.line_no, e.actor, e.after::text)
            FROM order_events e JOIN orders o ON o.id = e.order_id
            UNION ALL
            SELECT concat_ws(' ', 'total', t.customer_id, t.week, t.ordered, t.cancelled, t.shipped) FROM order_book_totals t
            ORDER BY 1
            """
        ).map { try $0.decode("row", as: String.self) }
    }

    @Test("an order whose rows lie apart in the file is stored as when they lie together: lines, prices, events and totals")
    func apartAndTogether() throws {
        let rows = [
            "helios-dc,PO-1,1,TRN3,512,\(Weeks.text(1)),",
            "helios-dc,PO-1,2,TRN3-BOARD,64,\(Weeks.text(2)),9000.50",
            "tokyo-compute,PO-2,1,TRN3,16,\(Weeks.text(3)),",
            "helios-dc,PO-1,3,TRN3-SERVER,256,\(Weeks.text(1)),10000",
            "tokyo-compute,PO-3,1,TRN3,32,\(Weeks.text(3)),",
        ]
        let header = "customer,reference,line,sku,quantity,week,unit_price\n"
        // Together: PO-1's three rows first. Apart: PO-2 between PO-1's rows.
        let together = try Fixtures.file("together.csv", header + [rows[0], rows[1], rows[3], rows[2], rows[4]].joined(separator: "\n") + "\n")
        let apart = try Fixtures.file("apart.csv", header + rows.joined(separator: "\n") + "\n")
        var stored: [[String]] = []
        for path in [together, apart] {
            let database = try TestDatabase.make()
            defer { database.drop() }
            let owner = try database.connect()
            try Fixtures.seed(owner)
            // As the order desk imports: a login holding only chipsales_app, named in the audit.
            let login = try database.makeLogin(in: "chipsales_app")
            defer { database.dropRole(login) }
            let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
            let summary = try OrderStore(app).importCSV(path: path)
            #expect(summary == OrderImportSummary(rows: 5, ordersCreated: 3, linesCreated: 5, ordersAlreadyRecorded: 0))
            let rows = try Self.stored(owner)
            #expect(rows.filter { $0.hasPrefix("event ") }.allSatisfy { $0.contains(" \(login) ") })
            stored.append(rows.map { $0.replacingOccurrences(of: login, with: "desk") })
            #expect(try Fixtures.count("order_events", owner) == 3, "one 'created' event per order")
        }
        #expect(stored[0] == stored[1])
        // The list price where the file gives none, the file's price where it does.
        #expect(stored[0].contains { $0.hasPrefix("line helios-dc PO-1 1 TRN3 16 512 ") && $0.contains(" 9800.00 USD") })
        #expect(stored[0].contains { $0.hasPrefix("line helios-dc PO-1 2 TRN3-BOARD 64 64 ") && $0.contains(" 9000.50 USD") })
    }

    @Test("a clean file imported again, and one with an order already recorded, are staged and skip what is recorded")
    func recordedOrdersAreSkipped() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let first = try Fixtures.file("first.csv", """
            customer,reference,line,sku,quantity,week
            helios-dc,PO-1,1,TRN3,512,\(Weeks.text(1))

            """)
        let both = try Fixtures.file("both.csv", """
            customer,reference,line,sku,quantity,week
            helios-dc,PO-1,1,TRN3,512,\(Weeks.text(1))
            helios-dc,PO-2,1,TRN3,16,\(Weeks.text(2))
            helios-dc,PO-2,2,TRN3,32,\(Weeks.text(2))

            """)
        _ = try OrderStore(connection).importCSV(path: first)
        let summary = try OrderStore(connection).importCSV(path: both)
        #expect(summary == OrderImportSummary(rows: 3, ordersCreated: 1, linesCreated: 2, ordersAlreadyRecorded: 1))
        #expect(try Fixtures.count("order_lines", connection) == 3)
        #expect(try Fixtures.count("order_events", connection) == 2)
    }

    @Test("a file written to between the direct import's two passes is refused, and nothing is stored")
    func fileChangedBetweenPasses() throws {
        let header = "customer,reference,line,sku,quantity,week\n"
        let rows = "helios-dc,PO-1,1,TRN3,512,\(Weeks.text(1))\nhelios-dc,PO-2,1,TRN3,16,\(Weeks.text(2))\n"
        let changes = [
            "a quantity changed": header + rows.replacingOccurrences(of: ",512,", with: ",528,"),
            "a row added": header + rows + "helios-dc,PO-3,1,TRN3,16,\(Weeks.text(2))\n",
            "a row gone": header + "helios-dc,PO-1,1,TRN3,512,\(Weeks.text(1))\n",
        ]
        for (change, contents) in changes {
            let database = try TestDatabase.make()
            defer { database.drop() }
            let connection = try database.connect()
            try Fixtures.seed(connection)
            let path = try Fixtures.file("orders.csv", header + rows)
            // The first pass has read the file when the import says it is storing.
            let failure = #expect(throws: ImportFileChanged.self, "\(change)") {
                try OrderStore(connection).importCSV(path: path) { progress in
                    if case .storing = progress { try? contents.write(toFile: path, atomically: false, encoding: .utf8) }
                }
            }
            #expect(failure?.description.contains("changed while it was being imported; nothing was stored") == true)
            #expect(try Fixtures.count("orders", connection) == 0, "\(change)")
            #expect(try Fixtures.count("order_lines", connection) == 0, "\(change)")
        }
    }
}

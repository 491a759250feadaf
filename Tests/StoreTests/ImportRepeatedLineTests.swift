import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

/// A line given twice in an order file, of a new order or of one already
/// recorded (which is skipped, not inserted), is reported with its file
/// lines, and nothing is stored: not even an order id is drawn. Every test
/// works as an order-desk login (only `chipsales_app`).
@Suite("Import: a line given twice")
struct ImportRepeatedLineTests {
    let w1 = Weeks.text(1)

    func file(_ rows: [String]) throws -> String {
        try Fixtures.file("orders.csv", (["customer,reference,line,sku,quantity,week"] + rows).joined(separator: "\n") + "\n")
    }

    @Test("lines given twice in new orders of a large clean file are all counted, the first ones reported, and nothing is stored")
    func repeatedInNewOrders() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        // 300 orders of 2 lines; orders 100 to 124 give line 2 a second time.
        var rows: [String] = []
        for order in 0..<300 {
            rows.append("helios-dc,PO-\(order),1,TRN3,16,\(w1)")
            rows.append("helios-dc,PO-\(order),2,TRN3,32,\(w1)")
            if (100..<125).contains(order) { rows.append("helios-dc,PO-\(order),02,TRN3,48,\(w1)") }
        }
        let path = try file(rows)
        let failures = #expect(throws: ValidationFailures.self) { try OrderStore(desk.app).importCSV(path: path) }
        #expect(failures?.total == 25)
        #expect(failures?.failures.count == 20)
        // Order 100's lines are file lines 202 and 203 (after the header), its repeat 204.
        #expect(failures?.failures.first?.description
            == "\(path) line 204: line order helios-dc/PO-100 line 2 appears more than once in the file (first on line 203)")
        #expect(try Fixtures.count("orders", desk.owner) == 0)
        #expect(try Fixtures.count("order_lines", desk.owner) == 0)
        #expect(try Fixtures.count("order_events", desk.owner) == 0)
        // No order id was drawn for the refused file: the first order stored next is order 1.
        #expect(try desk.owner.queryFirst("SELECT last_value, is_called FROM orders_id_seq")?.decode("is_called", as: Bool.self) == false)
        // The same file without the repeats is stored whole on the same connection.
        let clean = try file(rows.filter { !$0.contains(",02,") })
        let summary = try OrderStore(desk.app).importCSV(path: clean)
        #expect(summary == OrderImportSummary(rows: 600, ordersCreated: 300, linesCreated: 600, ordersAlreadyRecorded: 0))
        #expect(try Fixtures.count("order_events", desk.owner) == 300)
    }

    @Test("a line given twice in an order already recorded the same is reported, not skipped")
    func repeatedInRecordedOrder() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        let store = OrderStore(desk.app)
        _ = try store.importCSV(path: try file(["helios-dc,PO-R,1,TRN3,16,\(w1)"]))
        let path = try file(["helios-dc,PO-R,1,TRN3,16,\(w1)", "helios-dc,PO-R,1,TRN3,16,\(w1)", "helios-dc,PO-N,1,TRN3,16,\(w1)"])
        let failures = #expect(throws: ValidationFailures.self) { try store.importCSV(path: path) }
        #expect(failures?.failures.map(\.description)
            == ["\(path) line 3: line order helios-dc/PO-R line 1 appears more than once in the file (first on line 2)"])
        #expect(try Fixtures.count("orders", desk.owner) == 1)
    }

    @Test("a line given twice is reported beside the file's other problems, in file order")
    func repeatedBesideOtherProblems() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        let path = try file([
            "helios-dc,PO-A,1,TRN3,16,\(w1)", "helios-dc,PO-A,1,TRN3,16,\(w1)", "nobody,PO-B,1,TRN3,16,\(w1)",
        ])
        let failures = #expect(throws: ValidationFailures.self) { try OrderStore(desk.app).importCSV(path: path) }
        #expect(failures?.failures.map { "\($0.record.split(separator: " ").last!) \($0.field)" } == ["3 line", "4 customer"])
        #expect(try Fixtures.count("orders", desk.owner) == 0)
    }
}

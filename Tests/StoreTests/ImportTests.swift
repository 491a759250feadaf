import Database
import Domain
import Foundation
import Store
import TestSupport
import Testing
import Values

@Suite("CSV imports are all or nothing")
struct ImportTests {
    @Test("a clean order file is stored whole, and importing it again changes nothing")
    func cleanAndRepeat() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let path = try Fixtures.file("orders.csv", """
            customer,reference,line,sku,quantity,week,unit_price
            helios-dc,PO-1,1,TRN3,512,\(Weeks.text(1)),
            helios-dc,PO-1,2,TRN3-BOARD,64,\(Weeks.text(2)),9000.50
            tokyo-compute,"PO-2, rush",1,TRN3,16,\(Weeks.text(3)),

            """)
        let first = try OrderStore(connection).importCSV(path: path)
        #expect(first == OrderImportSummary(rows: 3, ordersCreated: 2, linesCreated: 3, ordersAlreadyRecorded: 0))
        let second = try OrderStore(connection).importCSV(path: path)
        #expect(second == OrderImportSummary(rows: 3, ordersCreated: 0, linesCreated: 0, ordersAlreadyRecorded: 2))
        #expect(try Fixtures.count("order_lines", connection) == 3)
        #expect(try Fixtures.count("order_events", connection) == 2)
        let rush = try OrderStore(connection).list(customer: "tokyo-compute")
        #expect(rush.map(\.reference) == ["PO-2, rush"])
    }

    @Test("every bad row is reported with its line and reason, and nothing is stored")
    func everyBadRow() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let path = try Fixtures.file("orders.csv", """
            customer,reference,line,sku,quantity,week
            helios-dc,PO-1,1,TRN3,512,\(Weeks.text(1))
            nobody,PO-2,1,TRN3,16,\(Weeks.text(1))
            helios-dc,PO-3,1,TRN9,16,\(Weeks.text(1))
            helios-dc,PO-4,1,TRN3,20,\(Weeks.text(1))
            helios-dc,PO-5,1,TRN3,sixteen,\(Weeks.text(1))
            helios-dc,PO-6,1,TRN3,16,2026-W54
            helios-dc,PO-1,1,TRN3,512,\(Weeks.text(1))
            helios-dc,PO-7,1,TRN3,-16,\(Weeks.text(1))
            helios-dc,PO-8,1,TRN3,99999999999999999999,\(Weeks.text(1))

            """)
        let failures = #expect(throws: ValidationFailures.self) { try OrderStore(connection).importCSV(path: path) }
        let found = failures?.failures.map { "\($0.record.split(separator: " ").last!) \($0.field)" } ?? []
        #expect(found == ["3 customer", "4 sku", "5 quantity", "6 quantity", "7 week", "8 line", "9 quantity", "10 quantity"])
        #expect(try Fixtures.count("orders", connection) == 0)
    }

    @Test("an order already recorded with other lines is refused on import")
    func conflictingReimport() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        _ = try OrderStore(connection).create(OrderDraft(customer: "helios-dc", reference: "PO-1", lines: [LineDraft(number: 1, parsing: "TRN3:512:\(Weeks.text(1))")]))
        let path = try Fixtures.file("orders.csv", "customer,reference,line,sku,quantity,week\nhelios-dc,PO-1,1,TRN3,256,\(Weeks.text(1))\n")
        let failures = #expect(throws: ValidationFailures.self) { try OrderStore(connection).importCSV(path: path) }
        // The differences are listed as `order create` lists them.
        #expect(failures?.failures.first?.problem == "order helios-dc/PO-1 was already recorded as order 1 with different content: line 1 quantity: recorded 512, entered 256")
    }

    @Test("an order another session stores with other lines while a file imports is compared and refused, not skipped")
    func orderStoredDuringImport() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        // Another session enters PO-RACE with 32 chips and keeps its transaction open.
        let other = try database.connect()
        try other.executeScript("BEGIN")
        try other.execute("INSERT INTO orders (customer_id, reference) VALUES ('helios-dc', 'PO-RACE')")
        try other.execute(
            """
            INSERT INTO order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency)
            SELECT id, 1, 'TRN3', 16, 32, '\(Weeks.text(1))', 9800, 'USD' FROM orders WHERE reference = 'PO-RACE'
            """)
        let path = try Fixtures.file("orders.csv", """
            customer,reference,line,sku,quantity,week
            helios-dc,PO-RACE,1,TRN3,64,\(Weeks.text(1))
            tokyo-compute,PO-CALM,1,TRN3,16,\(Weeks.text(1))

            """)
        // The import cannot see PO-RACE yet; its insert of that order waits for the other session.
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            do {
                let importer = try database.connect()
                _ = try OrderStore(importer).importCSV(path: path)
                outcome.set("imported")
            } catch let failures as ValidationFailures {
                outcome.set(failures.failures.map(\.problem).joined(separator: "; "))
            } catch {
                outcome.set("\(error)")
            }
            done.signal()
        }
        Thread.sleep(forTimeInterval: 0.5)
        try other.executeScript("COMMIT")
        done.wait()
        #expect(outcome.value.contains("PO-RACE was already recorded as order 1 with different content: line 1 quantity: recorded 32, entered 64"), "\(outcome.value)")
        #expect(try Fixtures.count("orders", connection) == 1)
        #expect(try OrderStore(connection).list(customer: "tokyo-compute").isEmpty)
    }

    @Test("a byte order mark and CRLF line ends are accepted")
    func bomAndCRLF() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let text = "\u{FEFF}sku,week,quantity\r\nTRN3,2026-W49,40000\r\nTRN3,\(Weeks.text(1)),41000\r\n"
        let stored = try SupplyStore(connection).importCSV(path: try Fixtures.file("supply.csv", text))
        #expect(stored == 2)
        #expect(try SupplyStore(connection).list().map(\.quantity) == [40000, 41000])
    }

    @Test("malformed files are refused whole, naming the line", arguments: [
        ("wrong header", Data("sku,qty,week\nTRN3,1,2026-W49\n".utf8), "header"),
        ("missing column", Data("sku,week,quantity\nTRN3,2026-W49\n".utf8), "CSV"),
        ("extra column", Data("sku,week,quantity\nTRN3,2026-W49,1,2\n".utf8), "CSV"),
        ("not UTF-8", Data("sku,week,quantity\nTRN3,2026-W49,1\nTRN3,\(Weeks.text(1)),".utf8) + Data([0xFF, 0x0A]), "CSV"),
        ("duplicate week", Data("sku,week,quantity\nTRN3,2026-W49,1\nTRN3,2026-W49,2\n".utf8), "sku,week"),
        ("negative", Data("sku,week,quantity\nTRN3,2026-W49,-1\n".utf8), "quantity"),
        ("SQL text", Data("sku,week,quantity\nTRN3'); DROP TABLE products;--,2026-W49,1\n".utf8), "sku"),
        ("empty file", Data(), "header"),
    ])
    func malformedSupply(name: String, contents: Data, field: String) throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        try SupplyStore(connection).set(SupplyEntry(sku: "TRN3", week: Period("2026-W48")!, quantity: 5))
        let path = try Fixtures.file("supply.csv", contents)
        var fields: [String] = []
        do {
            _ = try SupplyStore(connection).importCSV(path: path)
            Issue.record("\(name): the file was accepted")
        } catch let failure as ValidationFailure {
            fields = [failure.field]
        } catch let failures as ValidationFailures {
            fields = failures.failures.map(\.field)
        }
        #expect(fields.contains(field), "\(name): \(fields)")
        #expect(try SupplyStore(connection).list().map(\.quantity) == [5])
        #expect(try Fixtures.count("products", connection) == 3)
    }
}

/// A result handed from a background thread to the test.
final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    var value: String { lock.withLock { text } }
    func set(_ value: String) { lock.withLock { text = value } }
}

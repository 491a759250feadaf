import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

/// `order create` and `order import` agree on what an order is: the same
/// text makes the same order, and what one refuses the other refuses.
/// Every test works as an order-desk login (only `chipsales_app`).
@Suite("Import and create agree")
struct EntryAgreementTests {
    /// A seeded database, an app login's connection to it, and a cleanup.
    struct Desk {
        let database: TestDatabase
        let login: String
        let app: Connection
        let owner: Connection
        func drop() { database.drop(); database.dropRole(login) }
    }

    static func desk() throws -> Desk {
        let database = try TestDatabase.make()
        let owner = try database.connect()
        try Fixtures.seed(owner)
        let login = try database.makeLogin(in: "chipsales_app")
        let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        return Desk(database: database, login: login, app: app, owner: owner)
    }

    let w1 = Weeks.text(1)

    func file(_ rows: String...) throws -> String {
        try Fixtures.file("orders.csv", (["customer,reference,line,sku,quantity,week,unit_price"] + rows).joined(separator: "\n") + "\n")
    }

    @Test("surrounding spaces, case, leading zeros and line 01 in a file make the order create entered, which is then skipped")
    func sameOrder() throws {
        let desk = try Self.desk()
        defer { desk.drop() }
        let store = OrderStore(desk.app)
        _ = try store.create(OrderDraft(customer: "helios-dc", reference: "PO-16", lines: [LineDraft(number: 1, parsing: "TRN3:16:\(w1)")]))
        let path = try file("HELIOS-DC,\" PO-16 \",01,trn3,00016,\(w1.lowercased()),")
        let summary = try store.importCSV(path: path)
        #expect(summary == OrderImportSummary(rows: 1, ordersCreated: 0, linesCreated: 0, ordersAlreadyRecorded: 1))
        #expect(try Fixtures.count("orders", desk.owner) == 1)
        // And the other way round: a file's order entered again with create is the same order.
        let imported = try store.importCSV(path: try file("tokyo-compute,PO-T,1,TRN3,32,\(w1),"))
        #expect(imported.ordersCreated == 1)
        let again = try store.create(OrderDraft(customer: " Tokyo-Compute", reference: "PO-T ", lines: [LineDraft(number: 1, parsing: "trn3:032:\(w1)")]))
        guard case .alreadyRecorded = again else { Issue.record("create made a second order: \(again)"); return }
    }

    @Test("control characters and escape sequences are refused by import as by create, and nothing is stored")
    func unsafeText() throws {
        let desk = try Self.desk()
        defer { desk.drop() }
        let path = try file(
            "helios-dc,\"PO\u{1B}[2J\",1,TRN3,16,\(w1),",
            "helios-dc,PO-OK,1,TRN3,16,\(w1),",
            "helios-dc,\"PO\u{202E}1\",1,TRN3,16,\(w1),")
        let failures = #expect(throws: ValidationFailures.self) { try OrderStore(desk.app).importCSV(path: path) }
        #expect(failures?.failures.map(\.field) == ["reference", "reference"])
        #expect(failures?.description.contains("\u{1B}") == false)
        #expect(try Fixtures.count("orders", desk.owner) == 0)
    }

    @Test("an order recorded with another unit price is refused on import with the difference listed, as create refuses it")
    func otherPrice() throws {
        let desk = try Self.desk()
        defer { desk.drop() }
        let store = OrderStore(desk.app)
        _ = try store.create(OrderDraft(customer: "helios-dc", reference: "PO-P", lines: [LineDraft(number: 1, parsing: "TRN3:16:\(w1):9000.00")]))
        let conflict = #expect(throws: OrderConflict.self) {
            try store.create(OrderDraft(customer: "helios-dc", reference: "PO-P", lines: [LineDraft(number: 1, parsing: "TRN3:16:\(w1):9500.00")]))
        }
        let failures = #expect(throws: ValidationFailures.self) {
            try store.importCSV(path: try file("helios-dc,PO-P,1,TRN3,16,\(w1),9500.00"))
        }
        #expect(failures?.failures.map(\.problem) == [conflict?.description ?? "?"])
        #expect(failures?.failures.first?.problem.hasSuffix("line 1 unit price: recorded 9000, entered 9500") == true)
        // Without a price the line takes any recorded price: the same order.
        #expect(try store.importCSV(path: try file("helios-dc,PO-P,1,TRN3,16,\(w1),")).ordersAlreadyRecorded == 1)
    }

    @Test("line numbers 1 and 01 of one order are one line given twice, reported with both file lines")
    func repeatedLine() throws {
        let desk = try Self.desk()
        defer { desk.drop() }
        let path = try file("helios-dc,PO-L,1,TRN3,16,\(w1),", "helios-dc,PO-L,01,TRN3,32,\(w1),")
        let failures = #expect(throws: ValidationFailures.self) { try OrderStore(desk.app).importCSV(path: path) }
        #expect(failures?.failures.map(\.description) == ["\(path) line 3: line order helios-dc/PO-L line 1 appears more than once in the file (first on line 2)"])
        #expect(try Fixtures.count("orders", desk.owner) == 0)
    }

    @Test("unknown customers and SKUs suggest the nearest known one, in create and in import")
    func didYouMean() throws {
        let desk = try Self.desk()
        defer { desk.drop() }
        let store = OrderStore(desk.app)
        let created = #expect(throws: ValidationFailures.self) {
            try store.create(OrderDraft(customer: "helios-cd", reference: "PO-1", lines: [LineDraft(number: 1, parsing: "TRN9:16:\(w1)")]))
        }
        #expect(created?.failures.map(\.problem) == [
            "helios-cd is not a known customer (did you mean helios-dc?)", "TRN9 is not a known product (did you mean TRN3?)",
        ])
        let imported = #expect(throws: ValidationFailures.self) {
            try store.importCSV(path: try file("helios-cd,PO-1,1,TRN9,16,\(w1),"))
        }
        #expect(imported?.failures.map(\.problem) == created?.failures.map(\.problem))
        #expect(throws: NotFound("product TRN33", suggestion: "TRN3")) {
            try SupplyStore(desk.app).set(SupplyEntry(sku: "trn33", week: Weeks.from(1), quantity: 16))
        }
    }

    @Test("lines of one order in two currencies are refused in create and in import")
    func oneCurrency() throws {
        let desk = try Self.desk()
        defer { desk.drop() }
        try ProductStore(desk.app).add(Product(sku: "TRN3-EU", name: "Trainium3 (EU)", lotSize: 16, unitPrice: 9000, currency: "eur"))
        let store = OrderStore(desk.app)
        let created = #expect(throws: ValidationFailures.self) {
            try store.create(OrderDraft(customer: "helios-dc", reference: "PO-C", lines: [
                LineDraft(number: 1, parsing: "TRN3:16:\(w1)"), LineDraft(number: 2, parsing: "TRN3-EU:16:\(w1)"),
            ]))
        }
        #expect(created?.failures.map(\.field) == ["currency"])
        let imported = #expect(throws: ValidationFailures.self) {
            try store.importCSV(path: try file("helios-dc,PO-C,1,TRN3,16,\(w1),", "tokyo-compute,PO-C,1,TRN3-EU,16,\(w1),", "helios-dc,PO-C,2,TRN3-EU,16,\(w1),"))
        }
        #expect(imported?.failures.map(\.field) == ["currency"])
        #expect(imported?.failures.first?.record.hasSuffix("line 4") == true)
        #expect(try Fixtures.count("orders", desk.owner) == 0)
    }

    @Test("a currency that is not ISO 4217 is refused")
    func currencyCode() throws {
        let desk = try Self.desk()
        defer { desk.drop() }
        let failure = #expect(throws: ValidationFailure.self) {
            try ProductStore(desk.app).add(Product(sku: "X1", name: "x", lotSize: 1, unitPrice: 1, currency: "XYZ"))
        }
        #expect(failure?.description == "product X1: currency XYZ is not an ISO 4217 currency code")
        try ProductStore(desk.app).add(Product(sku: "X1", name: "x", lotSize: 1, unitPrice: 1, currency: "chf"))
        #expect(try ProductStore(desk.app).find("X1")?.currency == "CHF")
    }
}

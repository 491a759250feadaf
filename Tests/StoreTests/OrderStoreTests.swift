import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

@Suite("Orders")
struct OrderStoreTests {
    func draft(_ reference: String, _ lines: String..., customer: String = "helios-dc") throws -> OrderDraft {
        try OrderDraft(
            customer: customer, reference: reference,
            lines: lines.enumerated().map { try LineDraft(number: $0.offset + 1, parsing: $0.element) })
    }

    @Test("an order is stored with list prices by default and its status derives from the lines")
    func create() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let entry = try OrderStore(connection).create(draft("PO-7781", "TRN3:512:\(Weeks.text(1))", "TRN3-BOARD:64:\(Weeks.text(2)):9000.50"))
        guard case .created(let order) = entry else { Issue.record("expected a new order"); return }
        #expect(order.status == .open)
        #expect(order.lines.map(\.unitPrice) == [Decimal(string: "9800.00")!, Decimal(string: "9000.50")!])
        #expect(order.lines.map(\.open) == [512, 64])
    }

    @Test("entering the same order again answers with the existing one; other content is refused with the differences")
    func idempotent() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let store = OrderStore(connection)
        let first = try store.create(draft("PO-1", "TRN3:512:\(Weeks.text(1))"))
        let again = try store.create(draft("PO-1", "TRN3:512:\(Weeks.text(1))"))
        #expect(again == .alreadyRecorded(first.order))
        let conflict = #expect(throws: OrderConflict.self) { try store.create(draft("PO-1", "TRN3:528:\(Weeks.text(1))")) }
        #expect(conflict?.differences == ["line 1 quantity: recorded 512, entered 528"])
        #expect(try Fixtures.count("orders", connection) == 1)
        #expect(try Fixtures.count("order_events", connection) == 1)
    }

    @Test("unknown customers and SKUs and partial lots are all reported and nothing is stored")
    func badDraft() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let failures = #expect(throws: ValidationFailures.self) {
            try OrderStore(connection).create(draft("PO-9", "TRN3:500:\(Weeks.text(1))", "NOPE:16:\(Weeks.text(1))", customer: "nobody"))
        }
        #expect(failures?.failures.map(\.field) == ["customer", "quantity", "sku"])
        #expect(try Fixtures.count("orders", connection) == 0)
    }

    /// Two sessions enter the same order at the same moment: the unique key
    /// and ON CONFLICT make one create it and the other find it.
    @Test("two processes entering the same order at the same moment make one order")
    func concurrentEntry() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        try Fixtures.seed(try database.connect())
        let outcomes = Outcomes()
        let drafts = try (0..<4).map { _ in try draft("PO-RACE", "TRN3:512:\(Weeks.text(1))", "TRN3:16:\(Weeks.text(2))") }
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            do {
                let connection = try database.connect()
                switch try OrderStore(connection).create(drafts[index]) {
                case .created: outcomes.add("created")
                case .alreadyRecorded: outcomes.add("already")
                }
            } catch {
                outcomes.add("error: \(error)")
            }
        }
        #expect(outcomes.sorted == ["already", "already", "already", "created"])
        let connection = try database.connect()
        #expect(try Fixtures.count("orders", connection) == 1)
        #expect(try Fixtures.count("order_lines", connection) == 2)
    }

    @Test("amend, cancel and ship follow the rules and each leaves an audit event with actor and before/after")
    func lifecycle() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let store = OrderStore(connection)
        let id = try store.create(draft("PO-5", "TRN3:512:\(Weeks.text(1))", "TRN3:64:\(Weeks.text(2))")).order.id
        _ = try InventoryStore(connection).receive(sku: "TRN3", quantity: 1000, note: nil)

        // No allocation run in this test: nothing is due, so every shipment goes beyond the plan, with a reason.
        let sample = "engineering samples"
        var order = try store.ship(order: id, line: 1, quantity: 256, beyondPlan: true, reason: sample).order
        #expect(order.lines[0].shipped == 256 && order.status == .partiallyShipped)
        #expect(try InventoryStore(connection).onHand("TRN3") == 744)
        #expect(throws: ValidationFailure.self) { try store.amend(order: id, line: 1, quantity: 128, reason: "fewer") }  // below shipped
        #expect(throws: ValidationFailure.self) { try store.amend(order: id, line: 1, quantity: 300, reason: "odd") }  // not whole lots
        order = try store.amend(order: id, line: 1, quantity: 384, reason: "customer re-plan")
        #expect(order.lines[0].open == 128)
        let overOpen = #expect(throws: ValidationFailure.self) {
            try store.ship(order: id, line: 1, quantity: 144, beyondPlan: true, reason: sample)
        }
        #expect(overOpen?.description == "order \(id) line 1: quantity 144 is more than the 128 still open")
        order = try store.cancel(order: id, line: 2, reason: "not needed")
        #expect(order.lines[1].status == .cancelled)
        #expect(throws: ValidationFailure.self) { try store.cancel(order: id, line: 2, reason: "again") }
        order = try store.ship(order: id, line: 1, quantity: 128, beyondPlan: true, reason: sample).order
        #expect(order.status == .shipped)
        #expect(throws: ValidationFailure.self) { try store.cancel(order: id, line: 1, reason: "too late") }  // shipped line
        #expect(throws: NotFound("order \(id) line 9")) { try store.ship(order: id, line: 9, quantity: 16) }
        #expect(throws: ValidationFailure(record: "order \(id) line 1", field: "quantity", problem: "must be between 1 and \(maximumChips) chips (got 0)")) {
            try store.ship(order: id, line: 1, quantity: 0)
        }
        #expect(throws: NotFound("order 999999")) { try store.ship(order: 999_999, line: 1, quantity: 16) }

        let events = try store.events(id)
        #expect(events.map(\.action) == ["created", "shipped", "amended", "cancelled", "shipped"])
        #expect(events.allSatisfy { $0.actor == "postgres" || !$0.actor.isEmpty })
        #expect(events[2].reason == "customer re-plan")
        #expect(events[2].before?.contains("\"quantity\": 512") == true && events[2].after?.contains("\"quantity\": 384") == true)
        // The trail cannot be rewritten.
        #expect(throws: DatabaseError.self) { try connection.execute("UPDATE order_events SET actor = 'someone else'") }
        #expect(throws: DatabaseError.self) { try connection.execute("DELETE FROM order_events") }
        #expect(try store.events(id).count == 5)
    }

    @Test("nothing ships to a customer that is not export-cleared or is on credit hold")
    func shippingRefused() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        _ = try InventoryStore(connection).receive(sku: "TRN3", quantity: 1000, note: nil)
        let store = OrderStore(connection)
        let pending = try store.create(draft("PO-N", "TRN3:16:\(Weeks.text(1))", customer: "nordic-ai")).order.id
        let notCleared = #expect(throws: ValidationFailure.self) {
            try store.ship(order: pending, line: 1, quantity: 16, beyondPlan: true, reason: "urgent")
        }
        #expect(notCleared?.description == "order \(pending) line 1: customer nordic-ai is not export-cleared (pending); nothing may ship")
        var hold = CustomerChanges()
        hold.creditHold = true
        try CustomerStore(connection).update("helios-dc", hold)
        let held = try store.create(draft("PO-H", "TRN3:16:\(Weeks.text(1))")).order.id
        let onHold = #expect(throws: ValidationFailure.self) {
            try store.ship(order: held, line: 1, quantity: 16, beyondPlan: true, reason: "urgent")
        }
        #expect(onHold?.field == "customer" && onHold?.problem == "helios-dc is on credit hold; nothing may ship")
        #expect(try InventoryStore(connection).onHand("TRN3") == 1000)
    }

    /// Eight sessions each ship 160 chips of a stock of 1,000 at once: the
    /// balance row's lock and CHECK let exactly six through.
    @Test("concurrent shipments that together exceed stock never drive it negative")
    func concurrentShipments() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let setup = try database.connect()
        try Fixtures.seed(setup)
        _ = try InventoryStore(setup).receive(sku: "TRN3", quantity: 1000, note: nil)
        let ids = try (0..<8).map { try OrderStore(setup).create(draft("PO-S\($0)", "TRN3:160:\(Weeks.text(1))")).order.id }
        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            do {
                _ = try OrderStore(try database.connect()).ship(
                    order: ids[index], line: 1, quantity: 160, beyondPlan: true, reason: "no plan in this test")
                outcomes.add("shipped")
            } catch let failure as ValidationFailure {
                outcomes.add(failure.field)
            } catch {
                outcomes.add("error: \(error)")
            }
        }
        #expect(outcomes.sorted == Array(repeating: "quantity", count: 2) + Array(repeating: "shipped", count: 6))
        #expect(try InventoryStore(setup).onHand("TRN3") == 40)
        let shipped: Int = try setup.queryFirst("SELECT sum(shipped_qty)::int AS n FROM order_lines")!.decode("n")
        #expect(shipped == 960)
    }

    @Test("the database refuses partial lots, over-closing and deletes from raw SQL")
    func databaseEnforcesLines() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let id = try OrderStore(connection).create(draft("PO-R", "TRN3:64:\(Weeks.text(1))")).order.id
        let lots = #expect(throws: DatabaseError.self) {
            try connection.execute("UPDATE order_lines SET quantity = 65 WHERE order_id = $1", [id])
        }
        #expect(lots?.constraint == "order_lines_whole_lots")
        let over = #expect(throws: DatabaseError.self) {
            try connection.execute("UPDATE order_lines SET shipped_qty = 48, cancelled_qty = 32 WHERE order_id = $1", [id])
        }
        #expect(over?.constraint == "order_lines_not_over_closed")
        #expect(throws: DatabaseError.self) { try connection.execute("DELETE FROM order_lines") }
        let lotChange = #expect(throws: DatabaseError.self) { try connection.execute("UPDATE products SET lot_size = 32 WHERE sku = 'TRN3'") }
        #expect(lotChange?.sqlState == .foreignKeyViolation)
    }

    @Test("listing filters by customer, status and SKU")
    func listing() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let store = OrderStore(connection)
        _ = try store.create(draft("PO-A", "TRN3:16:\(Weeks.text(1))"))
        let b = try store.create(draft("PO-B", "TRN3-BOARD:64:\(Weeks.text(1))")).order.id
        _ = try store.create(draft("PO-C", "TRN3:16:\(Weeks.text(1))", customer: "tokyo-compute"))
        _ = try store.cancel(order: b, line: nil, reason: "dup")
        #expect(try store.list(customer: "helios-dc").map(\.reference) == ["PO-B", "PO-A"])
        #expect(try store.list(status: .cancelled).map(\.reference) == ["PO-B"])
        #expect(try store.list(sku: "TRN3").map(\.reference) == ["PO-C", "PO-A"])
        #expect(try store.list(customer: "aws-cloud").isEmpty)
        // A filter that names nothing is a mistake, not "no orders".
        let unknown = #expect(throws: NotFound.self) { try store.list(customer: "helios-dx") }
        #expect(unknown?.description == "customer helios-dx does not exist (did you mean helios-dc?)")
    }
}

/// Collects what concurrent workers report.
final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ item: String) { lock.withLock { items.append(item) } }
    var sorted: [String] { lock.withLock { items.sorted() } }
}

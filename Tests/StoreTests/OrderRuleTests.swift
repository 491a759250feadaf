import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

/// The rules an order desk expects, through the store as an order-desk login.
@Suite("Order desk rules")
struct OrderRuleTests {
    let past = Weeks.text(-1), w1 = Weeks.text(1), w2 = Weeks.text(2)

    func draft(_ reference: String, _ line: String) throws -> OrderDraft {
        try OrderDraft(customer: "helios-dc", reference: reference, lines: [LineDraft(number: 1, parsing: line)])
    }

    @Test("a week before the current one is refused by create and import; --allow-past-weeks imports history")
    func pastWeeks() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        let store = OrderStore(desk.app)
        let created = #expect(throws: ValidationFailures.self) { try store.create(draft("PO-OLD", "TRN3:16:\(past)")) }
        #expect(created?.failures.map(\.field) == ["week"])
        #expect(created?.failures.first?.problem.contains("\(past) is in the past") == true)
        let path = try Fixtures.file("orders.csv", "customer,reference,line,sku,quantity,week\nhelios-dc,PO-OLD,1,TRN3,16,\(past)\nhelios-dc,PO-NEW,1,TRN3,16,\(w1)\n")
        let imported = #expect(throws: ValidationFailures.self) { try store.importCSV(path: path) }
        #expect(imported?.failures.map(\.field) == ["week"])
        #expect(try Fixtures.count("orders", desk.owner) == 0)
        #expect(try store.importCSV(path: path, weeks: .includingPastWeeks).ordersCreated == 2)
        // Orders already recorded are compared, not entered: the same file again is harmless.
        #expect(try store.importCSV(path: path).ordersAlreadyRecorded == 2)
        guard case .alreadyRecorded = try store.create(draft("PO-OLD", "TRN3:16:\(past)")) else {
            Issue.record("the recorded order was not recognised"); return
        }
    }

    @Test("amend refuses to re-open a cancelled line or move a line into the past, and moves it forward")
    func amend() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        let store = OrderStore(desk.app)
        let id = try store.create(OrderDraft(customer: "helios-dc", reference: "PO-A", lines: [
            LineDraft(number: 1, parsing: "TRN3:64:\(w1)"), LineDraft(number: 2, parsing: "TRN3:32:\(w1)"),
        ])).order.id
        _ = try store.cancel(order: id, line: 2, reason: "not needed")
        let reopen = #expect(throws: ValidationFailure.self) { try store.amend(order: id, line: 2, quantity: 64, reason: "more") }
        #expect(reopen?.problem.contains("cannot be re-opened") == true)
        #expect(throws: ValidationFailure.self) { try store.amend(order: id, line: 2, week: Weeks.from(2), reason: "later") }
        // Part shipped, the rest cancelled: closed too, not re-opened by a larger quantity.
        let partial = try store.create(draft("PO-P", "TRN3:64:\(w1)")).order.id
        try desk.owner.execute("UPDATE order_lines SET shipped_qty = 16, cancelled_qty = 48 WHERE order_id = $1", [partial])
        let grown = #expect(throws: ValidationFailure.self) { try store.amend(order: partial, line: 1, quantity: 128, reason: "more") }
        #expect(grown?.problem.contains("cannot be re-opened") == true)
        let backwards = #expect(throws: ValidationFailure.self) { try store.amend(order: id, line: 1, week: Weeks.from(-1), reason: "sooner") }
        #expect(backwards?.field == "week")
        let moved = try store.amend(order: id, line: 1, quantity: 128, week: Weeks.from(2), reason: "re-planned")
        #expect(moved.lines[0].quantity == 128 && moved.lines[0].requestedWeek.description == w2)
        #expect(moved.lines[1].status == .cancelled && moved.lines[1].open == 0)
        #expect(try store.events(id).map(\.action) == ["created", "cancelled", "amended"])
    }

    @Test("the database itself refuses to re-open a cancelled line or undo a cancellation")
    func databaseKeepsCancellations() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        let id = try OrderStore(desk.app).create(draft("PO-D", "TRN3:64:\(w1)")).order.id
        _ = try OrderStore(desk.app).cancel(order: id, line: 1, reason: "gone")
        for (statement, constraint): (StaticString, String) in [
            ("UPDATE order_lines SET quantity = 128 WHERE order_id = $1", "order_lines_cancelled_final"),
            ("UPDATE order_lines SET cancelled_qty = 0 WHERE order_id = $1", "order_lines_cancellation_final"),
        ] {
            let error = #expect(throws: DatabaseError.self) { try desk.owner.execute("\(statement)", [id]) }
            #expect(error?.constraint == constraint, "\(statement)")
        }
        let partial = try OrderStore(desk.app).create(draft("PO-E", "TRN3:64:\(w1)")).order.id
        try desk.owner.execute("UPDATE order_lines SET shipped_qty = 16, cancelled_qty = 48 WHERE order_id = $1", [partial])
        let reopened = #expect(throws: DatabaseError.self) {
            try desk.owner.execute("UPDATE order_lines SET quantity = 128 WHERE order_id = $1", [partial])
        }
        #expect(reopened?.constraint == "order_lines_cancelled_final")
    }

    /// What `amend` refuses, an app login's UPDATE is refused too (schema 014),
    /// so that what the CLI can do is what the app role can do.
    @Test("the database refuses an app login's move of a cancelled line, a move into the past, and growth of a line whose week has passed")
    func databaseKeepsAmendRules() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        let store = OrderStore(desk.app)
        let cancelled = try store.create(draft("PO-C", "TRN3:64:\(w1)")).order.id
        _ = try store.cancel(order: cancelled, line: 1, reason: "gone")
        let open = try store.create(draft("PO-O", "TRN3:64:\(w1)")).order.id
        // A line entered as history (import --allow-past-weeks), due last week.
        let old = try store.create(draft("PO-H", "TRN3:64:\(past)"), weeks: .includingPastWeeks).order.id
        let cases: [(String, [any SQLParameter], String)] = [
            ("UPDATE order_lines SET requested_week = $2 WHERE order_id = $1", [cancelled, w2], "order_lines_cancelled_final"),
            ("UPDATE order_lines SET requested_week = $2 WHERE order_id = $1", [open, past], "order_lines_week_not_past"),
            ("UPDATE order_lines SET quantity = 128 WHERE order_id = $1", [old], "order_lines_week_not_past"),
        ]
        for (statement, parameters, constraint) in cases {
            let error = #expect(throws: DatabaseError.self) { try desk.app.execute(statement, parameters) }
            #expect(error?.constraint == constraint, "\(statement) \(parameters): \(String(describing: error))")
        }
        // What amend allows, the database allows: a move forward, a smaller
        // past line, a past line grown while moved to a current week.
        try desk.app.execute("UPDATE order_lines SET requested_week = $2 WHERE order_id = $1", [open, w2])
        try desk.app.execute("UPDATE order_lines SET quantity = 32 WHERE order_id = $1", [old])
        try desk.app.execute("UPDATE order_lines SET quantity = 128, requested_week = $2 WHERE order_id = $1", [old, w1])
        #expect(try store.events(cancelled).map(\.action) == ["created", "cancelled"])
        #expect(try InvariantCheck(desk.owner).violations() == [])
    }

    @Test("a contract minimum or maximum that is not whole lots is refused, by the store and by the database")
    func contractLots() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        var changes = CustomerChanges()
        changes.minimums["trn3"] = 100
        let failure = #expect(throws: ValidationFailure.self) { try CustomerStore(desk.app).update("helios-dc", changes) }
        #expect(failure?.description == "customer helios-dc: minimum for TRN3 100 is not a whole number of lots of TRN3 (lot size 16)")
        changes.minimums = ["TRN3": 96]
        changes.maximums = ["trn3-board": 100]
        #expect(throws: ValidationFailure.self) { try CustomerStore(desk.app).update("helios-dc", changes) }
        changes.maximums = ["trn3-board": 128]
        try CustomerStore(desk.app).update("Helios-DC", changes)
        #expect(try CustomerStore(desk.app).get("helios-dc").contracts.map(\.sku) == ["TRN3", "TRN3-BOARD"])
        let raw = #expect(throws: DatabaseError.self) {
            try desk.owner.execute("UPDATE customer_contracts SET maximum_per_week = 130 WHERE sku = 'TRN3-BOARD'")
        }
        #expect(raw?.constraint == "contracts_whole_lots")
        #expect(throws: NotFound("customer helios-d", suggestion: "helios-dc")) { try CustomerStore(desk.app).get("helios-d") }
    }

    @Test("order list pages: how many match in all, and later pages by offset")
    func paging() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        let store = OrderStore(desk.app)
        for n in 1...5 { _ = try store.create(draft("PO-\(n)", "TRN3:16:\(w1)")) }
        let first = try store.page(limit: 2)
        #expect(first.orders.map(\.reference) == ["PO-5", "PO-4"] && first.total == 5 && first.isPartial)
        let last = try store.page(limit: 2, offset: 4)
        #expect(last.orders.map(\.reference) == ["PO-1"] && last.total == 5 && last.isPartial)
        let beyond = try store.page(limit: 2, offset: 10)
        #expect(beyond.orders.isEmpty && beyond.total == 5)
        let all = try store.page(customer: "helios-dc", limit: 10)
        #expect(all.total == 5 && !all.isPartial)
    }
}

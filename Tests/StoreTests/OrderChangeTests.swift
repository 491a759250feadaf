import Allocation
import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

/// Changes a buyer asks for (issue 12 §5), through the store as an
/// order-desk login holding only `chipsales_app`, with `db check` clean
/// after each.
@Suite("Order changes a buyer asks for")
struct OrderChangeTests {
    let w1 = Weeks.text(1), w2 = Weeks.text(2), w3 = Weeks.text(3)

    /// A seeded database and an app login; `owner` only sets up and inspects.
    typealias Desk = EntryAgreementTests.Desk

    /// TRN3 supply of 10 lots in each of the next four weeks, no frozen
    /// window, and one helios-dc order: line 1 TRN3:480 for next week,
    /// line 2 TRN3:160 two weeks later. Planned: line 1 in weeks 1-3 (160
    /// each, oldest line first), line 2 in week 4.
    func plannedOrder() throws -> (desk: Desk, order: Int) {
        let desk = try EntryAgreementTests.desk()
        _ = try PolicyStore(desk.owner).set(PolicyChanges(frozenWeeks: 0))
        for offset in 1...4 {
            try SupplyStore(desk.owner).set(SupplyEntry(sku: "TRN3", week: Weeks.from(offset), quantity: 160))
        }
        let order = try OrderStore(desk.app).create(OrderDraft(customer: "helios-dc", reference: "PO-C1", lines: [
            LineDraft(number: 1, parsing: "TRN3:480:\(w1)"), LineDraft(number: 2, parsing: "TRN3:160:\(w3)"),
        ])).order.id
        try run(desk.app)
        #expect(try plan(desk.app, order) == ["1 \(w1) 160", "1 \(w2) 160", "1 \(w3) 160", "2 \(Weeks.text(4)) 160"])
        return (desk, order)
    }

    /// Reads, allocates and stores one run as of next week, as `allocate run` does.
    @discardableResult
    func run(_ connection: Connection) throws -> Int {
        let input = try PlanInput.read(asOf: Weeks.from(1), on: connection)
        let result = try Allocator().allocate(input.scenario)
        return try RunStore(connection).save(result, input: input, startedAt: Date(), computeMilliseconds: 1).id
    }

    /// The current plan of one order as "line week chips", sorted.
    func plan(_ connection: Connection, _ order: Int) throws -> [String] {
        try connection.execute(
            """
            SELECT l.line_no || ' ' || a.week || ' ' || a.quantity AS row
            FROM allocations a JOIN order_lines l ON l.id = a.order_line_id
            WHERE a.run_id = (SELECT run_id FROM current_plan) AND l.order_id = $1 ORDER BY l.line_no, a.week
            """, [order]
        ).map { try $0.decode("row") }
    }

    func clean(_ desk: Desk, _ comment: Comment) throws {
        #expect(try InvariantCheck(desk.app).violations() == [], comment)
    }

    /// The JSON of an event's `before` or `after` as a dictionary.
    func object(_ text: String?) throws -> [String: Any] {
        let json = try #require(text)
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test("amend needs a reason; one change to quantity and week is one 'amended' event with the line before and after, the login and the reason")
    func amendEvent() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        let store = OrderStore(desk.app)
        let id = try store.create(OrderDraft(customer: "helios-dc", reference: "PO-E", lines: [
            LineDraft(number: 1, parsing: "TRN3:64:\(w1)"), LineDraft(number: 2, parsing: "TRN3:32:\(w1)"),
        ])).order.id
        for blank in ["", "   "] {
            let refused = #expect(throws: ValidationFailure.self) { try store.amend(order: id, line: 1, quantity: 128, reason: blank) }
            #expect(refused?.field == "reason")
        }
        #expect(try store.events(id).map(\.action) == ["created"])

        let amended = try store.amend(order: id, line: 1, quantity: 128, week: Weeks.from(2), reason: "two more racks, a week later")
        #expect(amended.lines[0].quantity == 128 && amended.lines[0].requestedWeek.description == w2)
        let events = try store.events(id)
        #expect(events.map(\.action) == ["created", "amended"])
        let event = try #require(events.last)
        #expect(event.line == 1 && event.actor == desk.login && event.reason == "two more racks, a week later")
        let before = try object(event.before), after = try object(event.after)
        #expect(before["quantity"] as? Int == 64 && before["week"] as? String == w1)
        #expect(after["quantity"] as? Int == 128 && after["week"] as? String == w2)
        try clean(desk, "after an amendment")
    }

    @Test("add-line adds the next line by order entry's rules, entered now, as one 'added' event per line with the reason")
    func addLine() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        let store = OrderStore(desk.app)
        let created = try store.create(OrderDraft(customer: "helios-dc", reference: "PO-A", lines: [
            LineDraft(number: 1, parsing: "TRN3:64:\(w1)"),
        ])).order
        let id = created.id
        let order = try store.addLines(order: id, LineAddition(parsing: ["trn3-board:128:\(w2.lowercased())"]), reason: "boards for the racks")
        #expect(order.lines.count == 2)
        let added = order.lines[1]
        #expect(added.number == 2 && added.sku == "TRN3-BOARD" && added.quantity == 128 && added.requestedWeek.description == w2)
        #expect(added.unitPrice == Decimal(string: "9950.00")! && added.currency == "USD")
        // Entered now (after its order was placed), by the database's clock.
        let entered = try desk.owner.queryFirst(
            "SELECT l.entered_at > o.placed_at AS later FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.id = $1", [added.id])!
        #expect(try entered.decode("later", as: Bool.self))

        var events = try store.events(id)
        #expect(events.map(\.action) == ["created", "added"])
        let event = try #require(events.last)
        #expect(event.line == 2 && event.actor == desk.login && event.reason == "boards for the racks" && event.before == nil)
        let after = try object(event.after)
        #expect(after["sku"] as? String == "TRN3-BOARD" && after["quantity"] as? Int == 128 && after["week"] as? String == w2)

        // Two lines at once: numbers 3 and 4, one event each.
        let more = try store.addLines(order: id, LineAddition(parsing: ["TRN3:16:\(w1)", "TRN3:32:\(w2):9500"]), reason: "spares")
        #expect(more.lines.map(\.number) == [1, 2, 3, 4] && more.lines[3].unitPrice == Decimal(string: "9500")!)
        events = try store.events(id)
        #expect(events.map(\.action) == ["created", "added", "added", "added"] && events.suffix(2).map(\.line) == [3, 4])
        try clean(desk, "after additions")
    }

    @Test("add-line refuses what order entry refuses, a second currency and a cancelled order, and stores nothing")
    func addLineRefusals() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        try ProductStore(desk.owner).add(Product(sku: "TRN3-EU", name: "Trainium3 (EU)", lotSize: 16, unitPrice: 9000, currency: "EUR"))
        let store = OrderStore(desk.app)
        let id = try store.create(OrderDraft(customer: "helios-dc", reference: "PO-R", lines: [
            LineDraft(number: 1, parsing: "TRN3:64:\(w1)"),
        ])).order.id
        let lines = try Fixtures.count("order_lines", desk.owner), events = try Fixtures.count("order_events", desk.owner)
        let cases: [(String, String, String)] = [
            ("TRN3:17:\(w1)", "quantity", "not a whole number of lots"),
            ("TRN3:16:\(Weeks.text(-1))", "week", "is in the past"),
            ("TRN9:16:\(w1)", "sku", "did you mean TRN3?"),
            ("TRN3-EU:16:\(w1)", "currency", "an order's lines share one currency"),
        ]
        for (text, field, words) in cases {
            let refused = #expect(throws: ValidationFailures.self, "\(text)") {
                try store.addLines(order: id, LineAddition(parsing: [text]), reason: "more")
            }
            #expect(refused?.failures.map(\.field) == [field], "\(text)")
            #expect(refused?.failures.first?.record == "order \(id) line 2", "\(text)")
            #expect(refused?.description.contains(words) == true, "\(text): \(String(describing: refused))")
        }
        // Text that cannot be read is a usage error, before anything is looked up.
        let malformed = #expect(throws: ValidationFailure.self) { try LineAddition(parsing: ["TRN3-16"]) }
        #expect(malformed?.kind == .malformed && malformed?.field == "--add-line")
        #expect(throws: NotFound.self) { try store.addLines(order: id + 100, LineAddition(parsing: ["TRN3:16:\(w1)"]), reason: "more") }
        let unexplained = #expect(throws: ValidationFailure.self) {
            try store.addLines(order: id, LineAddition(parsing: ["TRN3:16:\(w1)"]), reason: " ")
        }
        #expect(unexplained?.field == "reason")

        // A cancelled order takes no new line.
        _ = try store.cancel(order: id, line: nil, reason: "withdrawn")
        let cancelled = #expect(throws: ValidationFailures.self) {
            try store.addLines(order: id, LineAddition(parsing: ["TRN3:16:\(w1)"]), reason: "more")
        }
        #expect(cancelled?.description.contains("a cancelled order cannot be re-opened") == true)
        #expect(try Fixtures.count("order_lines", desk.owner) == lines)
        #expect(try Fixtures.count("order_events", desk.owner) == events + 1)  // the cancellation
        // When a line was entered is the database's, not the client's.
        for statement: StaticString in [
            "INSERT INTO order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency, entered_at) SELECT order_id, 9, sku, lot_size, 16, requested_week, unit_price, currency, '2000-01-01' FROM order_lines LIMIT 1",
            "UPDATE order_lines SET entered_at = '2000-01-01'",
        ] {
            let denied = #expect(throws: DatabaseError.self, "\(statement)") { try desk.app.execute("\(statement)") }
            #expect(denied?.sqlState == .insufficientPrivilege)
        }
        try clean(desk, "after refusals")
    }

    @Test("the current plan follows at once: a reduction gives up the latest weeks, a move later the weeks before the new week, a move earlier keeps its chips")
    func planFollows() throws {
        let (desk, order) = try plannedOrder()
        defer { desk.drop() }
        let store = OrderStore(desk.app)
        let w4 = Weeks.text(4)

        _ = try store.amend(order: order, line: 1, quantity: 320, reason: "one rack fewer")
        #expect(try plan(desk.app, order) == ["1 \(w1) 160", "1 \(w2) 160", "2 \(w4) 160"])
        try clean(desk, "after a reduction")

        _ = try store.amend(order: order, line: 1, week: Weeks.from(2), reason: "site not ready")
        #expect(try plan(desk.app, order) == ["1 \(w2) 160", "2 \(w4) 160"])
        try clean(desk, "after a move later")

        _ = try store.amend(order: order, line: 2, week: Weeks.from(2), reason: "sooner if possible")
        #expect(try plan(desk.app, order) == ["1 \(w2) 160", "2 \(w4) 160"])
        try clean(desk, "after a move earlier")

        // Grown and moved later at once: the early weeks go, nothing else.
        _ = try store.amend(order: order, line: 1, quantity: 640, week: Weeks.from(3), reason: "bigger, later")
        #expect(try plan(desk.app, order) == ["2 \(w4) 160"])
        try clean(desk, "after growing and moving")
        // Every chip given back is logged against the plan: 160 + 160 + 160.
        let given: Int = try desk.app.queryFirst("SELECT -sum(change)::int AS chips FROM allocation_changes")!.decode("chips")
        #expect(given == 480)
        #expect(try store.events(order).map(\.action) == ["created", "amended", "amended", "amended", "amended"])

        // The next run plans the lines as they now stand, each from its week
        // (weeks 1 and 2 carry their stock to the line moved to week 3).
        try run(desk.app)
        #expect(try plan(desk.app, order) == ["1 \(w3) 320", "1 \(w4) 160", "2 \(w2) 160"])
        try clean(desk, "after the next run")
    }

    @Test("reduced and moved later at once: the weeks before the new week go, then the latest weeks down to what is open")
    func reduceAndMove() throws {
        let (desk, order) = try plannedOrder()
        defer { desk.drop() }
        _ = try OrderStore(desk.app).amend(order: order, line: 1, quantity: 160, week: Weeks.from(2), reason: "one rack, later")
        #expect(try plan(desk.app, order) == ["1 \(w2) 160", "2 \(Weeks.text(4)) 160"])
        try clean(desk, "after reducing and moving")
    }

    @Test("a shipped line can be reduced to what was shipped and not below; a cancelled line is never re-opened, by the store or by SQL")
    func shippedAndCancelled() throws {
        let (desk, order) = try plannedOrder()
        defer { desk.drop() }
        let store = OrderStore(desk.app)
        _ = try InventoryStore(desk.owner).receive(sku: "TRN3", quantity: 160, note: "fab lot 1")
        _ = try store.ship(order: order, line: 1, quantity: 160, through: Weeks.from(1))
        let below = #expect(throws: ValidationFailure.self) { try store.amend(order: order, line: 1, quantity: 144, reason: "fewer") }
        #expect(below?.field == "quantity" && below?.problem.contains("shipped (160)") == true)
        let denied = #expect(throws: DatabaseError.self) {
            try desk.app.execute("UPDATE order_lines SET quantity = 144 WHERE order_id = $1 AND line_no = 1", [order])
        }
        #expect(denied?.constraint == "order_lines_not_over_closed")

        let shipped = try store.amend(order: order, line: 1, quantity: 160, reason: "the rest is not needed")
        #expect(shipped.lines[0].status == .shipped && shipped.lines[0].open == 0)
        #expect(try plan(desk.app, order) == ["2 \(Weeks.text(4)) 160"])
        try clean(desk, "after reducing to what shipped")

        _ = try store.cancel(order: order, line: 2, reason: "withdrawn")
        let reopen = #expect(throws: ValidationFailure.self) { try store.amend(order: order, line: 2, quantity: 320, reason: "back") }
        #expect(reopen?.problem.contains("cannot be re-opened") == true)
        let moved = #expect(throws: ValidationFailure.self) { try store.amend(order: order, line: 2, week: Weeks.from(4), reason: "later") }
        #expect(moved?.problem.contains("cannot be re-opened") == true)
        let sql = #expect(throws: DatabaseError.self) {
            try desk.app.execute("UPDATE order_lines SET quantity = 320 WHERE order_id = $1 AND line_no = 2", [order])
        }
        #expect(sql?.constraint == "order_lines_cancelled_final")
        #expect(try store.events(order).map(\.action) == ["created", "shipped", "amended", "cancelled"])
        try clean(desk, "after refusals")
    }

    @Test("a run that computed before a line moved later holds nothing before the new week when it commits")
    func moveDuringRun() throws {
        let (desk, order) = try plannedOrder()
        defer { desk.drop() }
        let input = try PlanInput.read(asOf: Weeks.from(1), on: desk.app)
        let result = try Allocator().allocate(input.scenario)
        _ = try OrderStore(desk.app).amend(order: order, line: 1, week: Weeks.from(3), reason: "moved while planning")
        let saved = try RunStore(desk.app).save(result, input: input, startedAt: Date(), computeMilliseconds: 1)
        #expect(saved.trimmed == 320)
        #expect(try plan(desk.app, order) == ["1 \(w3) 160", "2 \(Weeks.text(4)) 160"])
        try clean(desk, "after the run")
    }

    @Test("a line moved later and shipped while a run computes: the new plan gives the shipment its earliest weeks, then nothing before the new week")
    func moveAndShipDuringRun() throws {
        let (desk, order) = try plannedOrder()
        defer { desk.drop() }
        let input = try PlanInput.read(asOf: Weeks.from(1), on: desk.app)
        let result = try Allocator().allocate(input.scenario)
        let store = OrderStore(desk.app)
        _ = try store.amend(order: order, line: 1, week: Weeks.from(2), reason: "moved while planning")
        _ = try InventoryStore(desk.owner).receive(sku: "TRN3", quantity: 160, note: "fab lot 1")
        _ = try store.ship(order: order, line: 1, quantity: 160, through: Weeks.from(2))
        #expect(try plan(desk.app, order) == ["1 \(w3) 160", "2 \(Weeks.text(4)) 160"])
        // The new run planned line 1 in weeks 1-3: the shipment takes week 1
        // (its earliest), which leaves nothing before week 2 to trim.
        let saved = try RunStore(desk.app).save(result, input: input, startedAt: Date(), computeMilliseconds: 1)
        #expect(saved.trimmed == 160)
        #expect(try plan(desk.app, order) == ["1 \(w2) 160", "1 \(w3) 160", "2 \(Weeks.text(4)) 160"])
        try clean(desk, "after the run")
    }

    @Test("db check names a plan row before its line's requested week")
    func checkNamesEarlyRow() throws {
        let (desk, order) = try plannedOrder()
        defer { desk.drop() }
        // Behind the triggers' back: the week moved without the plan following.
        try desk.owner.execute("ALTER TABLE order_lines DISABLE TRIGGER order_lines_trim_plan")
        try desk.owner.execute("UPDATE order_lines SET requested_week = $2 WHERE order_id = $1 AND line_no = 1", [order, w2])
        try desk.owner.execute("ALTER TABLE order_lines ENABLE TRIGGER order_lines_trim_plan")
        let violations = try InvariantCheck(desk.app).violations()
        #expect(violations == [
            "allocations from each line's requested week on: order \(order) line 1: the plan holds 160 chips in \(w1), before the requested week \(w2)",
        ])
    }

    @Test("confirmations: a line amended after the current run is amended until the next run, which compares with what the amendment left")
    func confirmations() throws {
        let (desk, order) = try plannedOrder()
        defer { desk.drop() }
        let store = OrderStore(desk.app)
        try run(desk.app)
        func line(_ number: Int) throws -> LineConfirmation {
            try #require(try ConfirmationStore(desk.app).forOrder(order)[number])
        }
        #expect(try line(1).change == .unchanged && line(2).change == .unchanged)

        _ = try store.amend(order: order, line: 1, week: Weeks.from(2), reason: "site not ready")
        let moved = try line(1)
        #expect(moved.change == .amended && moved.confirmed.map(\.week.description) == [w2, w3])
        #expect(moved.unconfirmed == 160 && moved.previousConfirmed == 320)
        #expect(try line(2).change == .unchanged)
        let added = try store.addLines(order: order, LineAddition(parsing: ["TRN3:16:\(w2)"]), reason: "a spare")
        #expect(try line(3).change == .new && line(3).previousConfirmed == nil)
        #expect(added.lines.count == 3)

        // The next run: line 1 is compared with what the move left (160 in
        // each of weeks 2 and 3), not with what the run before confirmed.
        try run(desk.app)
        let replanned = try line(1)
        #expect(replanned.confirmed.map { "\($0.week):\($0.quantity)" } == ["\(w2):320", "\(w3):160"])
        #expect(replanned.change == .better && replanned.previousConfirmed == 320)
        #expect(try line(3).change == .new)
        try clean(desk, "after the next run")
    }
}

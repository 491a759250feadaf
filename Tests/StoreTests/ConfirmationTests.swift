import Allocation
import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport
import Values

@Suite("Confirmations on PostgreSQL")
struct ConfirmationTests {
    /// Reads, allocates and stores one run, as `allocate run` does.
    @discardableResult
    func run(_ connection: Connection, asOf: Period = AllocationStory.asOf) throws -> Int {
        let input = try PlanInput.read(asOf: asOf, on: connection)
        let result = try Allocator().allocate(input.scenario)
        return try RunStore(connection).save(result, input: input, startedAt: Date(), computeMilliseconds: 1).id
    }

    /// Enters a one-line order; like `AllocationStory`, in its fixed weeks, which the calendar passes.
    func order(_ connection: Connection, _ customer: String, _ reference: String, _ line: String) throws -> Int {
        try OrderStore(connection).create(OrderDraft(
            customer: customer, reference: reference, lines: [LineDraft(number: 1, parsing: line)]),
            weeks: .includingPastWeeks).order.id
    }

    func line(_ confirmations: CustomerConfirmations, _ reference: String) throws -> LineConfirmation {
        try #require(confirmations.lines.first { $0.reference == reference }, "\(reference) is not among the open lines")
    }

    /// `WEEK:CHIPS …` of a line's confirmed weeks.
    func weeks(_ line: LineConfirmation) -> String { line.confirmed.map { "\($0.week):\($0.quantity)" }.joined(separator: " ") }

    @Test("a login holding only chipsales_reporting reads report_confirmations, line for line what the order desk sends")
    func reportingView() throws {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_reporting")
        defer { database.drop(); database.dropRole(login) }
        let admin = try database.connect()
        try AllocationStory.load(admin)
        try run(admin)
        _ = try order(admin, "helios-dc", "PO-H9", "TRN3:32:2027-W11")
        _ = try OrderStore(admin).cancel(order: try AllocationStory.order("AC-2", admin), line: nil, reason: "moved")
        try run(admin)

        let reporter = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        let rows = try reporter.execute(
            """
            SELECT run_id, as_of, previous_run_id, reference, line_no, open, confirmed, first_confirmed_week, confirmed_weeks,
                   unconfirmed, change, previous_confirmed
            FROM report_confirmations WHERE customer_id = 'helios-dc' ORDER BY order_id, line_no
            """)
        let sent = try ConfirmationStore(admin).forCustomer("helios-dc")
        #expect(rows.count == sent.lines.count && rows.count == 3)
        for (row, line) in zip(rows, sent.lines) {
            #expect(try row.decode("run_id", as: Int.self) == sent.run)
            #expect(try row.decode("previous_run_id", as: Int.self) == sent.run - 1)
            #expect(try row.decode("as_of", as: String.self) == "2027-W10")
            #expect(try row.decode("reference", as: String.self) == line.reference)
            #expect(try row.decode("confirmed", as: Int.self) == line.confirmedTotal)
            #expect(try row.decode("confirmed_weeks", as: String.self) == weeks(line))
            #expect(try row.decodeIfPresent("first_confirmed_week", as: String.self) == line.confirmed.first?.week.description)
            #expect(try row.decode("unconfirmed", as: Int.self) == line.unconfirmed)
            #expect(try row.decode("open", as: Int.self) == line.confirmedTotal + line.unconfirmed)
            #expect(try row.decode("change", as: String.self) == line.change.rawValue)
            #expect(try row.decodeIfPresent("previous_confirmed", as: Int.self) == line.previousConfirmed)
        }
        #expect(try line(sent, "PO-H9").change == .new)
        // The view, not the tables behind it.
        for statement: StaticString in ["SELECT * FROM allocation_changes", "SELECT * FROM allocations", "SELECT * FROM order_lines"] {
            let error = #expect(throws: DatabaseError.self, "\(statement)") { try reporter.execute("\(statement)") }
            #expect(error?.sqlState == .insufficientPrivilege)
        }
    }

    @Test("shipping and cancelling after the run trim the confirmation and leave the change as the run made it; a reduction is amended until the next run")
    func changesAfterTheRun() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        _ = try PolicyStore(connection).set(PolicyChanges(frozenWeeks: 0))
        for offset in 0..<3 {
            try SupplyStore(connection).set(SupplyEntry(sku: "TRN3-SERVER", week: AllocationStory.asOf.adding(offset), quantity: 256))
        }
        let servers = try order(connection, "helios-dc", "PO-S1", "TRN3-SERVER:768:2027-W10")
        try run(connection)
        try run(connection)
        var sent = try line(ConfirmationStore(connection).forCustomer("helios-dc"), "PO-S1")
        #expect(weeks(sent) == "2027-W10:256 2027-W11:256 2027-W12:256")
        #expect(sent.change == .unchanged && sent.previousConfirmed == 768)

        // The plan gives up its earliest week to the shipment: still unchanged.
        _ = try InventoryStore(connection).receive(sku: "TRN3-SERVER", quantity: 256, note: nil)
        _ = try OrderStore(connection).ship(order: servers, line: 1, quantity: 256, through: AllocationStory.asOf)
        sent = try line(ConfirmationStore(connection).forCustomer("helios-dc"), "PO-S1")
        #expect(weeks(sent) == "2027-W11:256 2027-W12:256")
        #expect(sent.change == .unchanged && sent.previousConfirmed == 512 && sent.unconfirmed == 0)

        // The buyer reduces the line: the latest week goes, and the line is amended until the next run.
        _ = try OrderStore(connection).amend(order: servers, line: 1, quantity: 512, reason: "fewer racks")
        sent = try line(ConfirmationStore(connection).forCustomer("helios-dc"), "PO-S1")
        #expect(weeks(sent) == "2027-W11:256")
        #expect(sent.change == .amended && sent.previousConfirmed == 256 && sent.open == 256)
        #expect(try Fixtures.count("allocation_changes", connection) == 2)

        // The next run compares with that plan as it stood when replaced.
        try run(connection)
        sent = try line(ConfirmationStore(connection).forCustomer("helios-dc"), "PO-S1")
        #expect(weeks(sent) == "2027-W10:256" && sent.previousConfirmed == 256)
        #expect(sent.change == .better)

        // Cancelled, the line is no longer open and has nothing to confirm.
        _ = try OrderStore(connection).cancel(order: servers, line: 1, reason: "withdrawn")
        #expect(try ConfirmationStore(connection).forCustomer("helios-dc").lines.isEmpty)
        #expect(try ConfirmationStore(connection).forOrder(servers).isEmpty)
    }

    @Test("a line is new when there is no previous run or it was entered after the previous run; otherwise compared, from 0 if need be")
    func newLines() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try AllocationStory.load(connection)
        let before = ConfirmationStore(connection)
        #expect(throws: NotFound.noPlan) { try before.forCustomer("helios-dc") }
        try run(connection)
        let first = try ConfirmationStore(connection).forCustomer("nordic-ai")
        #expect(first.lines.map(\.change) == [.new] && first.lines[0].previousConfirmed == nil)

        _ = try order(connection, "nordic-ai", "PO-N2", "TRN3:16:2027-W12")
        try run(connection)
        let second = try ConfirmationStore(connection).forCustomer("nordic-ai")
        // Awaiting export clearance, nothing is confirmed in either run.
        let known = try line(second, "PO-N1")
        #expect(known.change == .unchanged && known.previousConfirmed == 0 && known.confirmed.isEmpty && known.unconfirmed == 128)
        #expect(try line(second, "PO-N2").change == .new)

        // Entered after the current run: not in this plan either, still new.
        _ = try order(connection, "nordic-ai", "PO-N3", "TRN3:16:2027-W12")
        let third = try line(ConfirmationStore(connection).forCustomer("nordic-ai"), "PO-N3")
        #expect(third.change == .new && third.previousConfirmed == nil && third.unconfirmed == 16)
        #expect(throws: NotFound("customer nobody")) { try ConfirmationStore(connection).forCustomer("nobody") }
    }

    @Test("what a run trims from its own result before it commits is part of what it confirmed, not a later change")
    func trimsAtCommitAreNotChanges() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try AllocationStory.load(connection)
        try run(connection)
        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: connection)
        let result = try Allocator().allocate(input.scenario)
        // Cancelled while the second run computes: the first plan (current) and the second run's result are both trimmed.
        let other = try database.connect()
        _ = try OrderStore(other).cancel(order: try AllocationStory.order("AC-1", other), line: 1, reason: "withdrawn")
        #expect(try Fixtures.count("allocation_changes", connection) > 0)
        let logged = try Fixtures.count("allocation_changes", connection)
        let saved = try RunStore(connection).save(result, input: input, startedAt: Date(), computeMilliseconds: 1)
        #expect(saved.trimmed > 0)
        #expect(try Fixtures.count("allocation_changes", connection) == logged)
        let changes = try connection.execute("SELECT DISTINCT run_id FROM allocation_changes").map { try $0.decode("run_id", as: Int.self) }
        #expect(changes == [saved.id - 1])
    }
}

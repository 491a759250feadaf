import Allocation
import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport
import Values

@Suite("Allocation job on PostgreSQL")
struct AllocationJobTests {
    /// Reads, allocates and stores one run, as `allocate run` does.
    @discardableResult
    func run(_ connection: Connection, asOf: Period = AllocationStory.asOf) throws -> (id: Int, trimmed: Int) {
        let input = try PlanInput.read(asOf: asOf, on: connection)
        let result = try Allocator().allocate(input.scenario)
        return try RunStore(connection).save(result, input: input, startedAt: Date(), computeMilliseconds: 1)
    }

    @Test("the scenario has the horizon from the as-of week, on-hand carry, open quantities and holds")
    func scenarioFromStore() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try AllocationStory.load(connection)
        try SupplyStore(connection).set(SupplyEntry(sku: "TRN3", week: Period("2027-W09")!, quantity: 9999))  // before the horizon
        let store = OrderStore(connection)
        _ = try store.cancel(order: try AllocationStory.order("PO-T1", connection), line: nil, reason: "gone")
        var hold = CustomerChanges()
        hold.creditHold = true
        try CustomerStore(connection).update("helios-dc", hold)

        let scenario = try PlanInput.read(asOf: AllocationStory.asOf, on: connection).scenario
        #expect(scenario.supply.map(\.period.description) == ["2027-W10", "2027-W11", "2027-W12", "2027-W13"])
        #expect(scenario.products.first { $0.sku == "TRN3" }?.onHand == 48)
        #expect(scenario.orders.count == 5)  // the cancelled line is not open
        #expect(scenario.customers.first { $0.id == "nordic-ai" }?.hold == true)  // export pending
        #expect(scenario.customers.first { $0.id == "helios-dc" }?.hold == true)  // credit hold
        #expect(scenario.customers.first { $0.id == "aws-cloud" }?.isInternal == true)
        #expect(scenario.policy.method == .fair)
    }

    @Test("a run is stored whole and becomes the current plan; held customers get nothing")
    func runStored() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try AllocationStory.load(connection)
        let saved = try run(connection)
        #expect(try RunStore(connection).currentRunID() == saved.id)
        let plan = try AllocationStory.plan(connection)
        #expect(!plan.isEmpty)
        #expect(!plan.contains { $0.hasPrefix("PO-N1") })  // nordic-ai awaits clearance
        let backlog: Int = try connection.queryFirst(
            "SELECT chips FROM allocation_backlog_summary WHERE customer_id = 'nordic-ai' AND held")!.decode("chips")
        #expect(backlog == 128)
        // Week 1 has 48 on hand + 160 supply = 13 lots; the periods table records it.
        let first: Int = try connection.queryFirst(
            "SELECT available FROM allocation_periods WHERE run_id = $1 AND week = '2027-W10'", [saved.id])!.decode("available")
        #expect(first == 208)
        #expect(try InvariantCheck(connection).violations().isEmpty)
        let history = try RunStore(connection).history()
        #expect(history.first?.id == saved.id && history.first?.isCurrent == true)
    }

    @Test("re-running unchanged input gives an identical plan and an empty diff")
    func rerunIdentical() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try AllocationStory.load(connection)
        let first = try run(connection)
        let second = try run(connection)
        #expect(try AllocationStory.plan(connection, run: first.id) == AllocationStory.plan(connection, run: second.id))
        #expect(try RunStore(connection).diff(first.id, second.id).isEmpty)
    }

    @Test("the frozen weeks of the current plan are kept when a higher-priority order arrives")
    func frozenWindowKept() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try AllocationStory.load(connection)
        _ = try PolicyStore(connection).set(PolicyChanges(frozenWeeks: 1))
        let first = try run(connection)
        let frozenBefore = try AllocationStory.plan(connection, run: first.id).filter { $0.contains("2027-W10") }
        // A big tier-1 order for week 10 would take that week's lots if it were not frozen.
        _ = try OrderStore(connection).create(OrderDraft(
            customer: "tokyo-compute", reference: "PO-RUSH", lines: [LineDraft(number: 1, parsing: "TRN3:640:2027-W10")]), weeks: .includingPastWeeks)
        let second = try run(connection)
        let after = try AllocationStory.plan(connection, run: second.id)
        #expect(after.filter { $0.contains("2027-W10") } == frozenBefore)
        #expect(after.contains { $0.hasPrefix("PO-RUSH 2027-W11") })  // it gets week 11 on
        // Without a frozen window the rush order does take week 10.
        _ = try PolicyStore(connection).set(PolicyChanges(frozenWeeks: 0))
        let third = try run(connection)
        #expect(try AllocationStory.plan(connection, run: third.id).contains { $0.hasPrefix("PO-RUSH 2027-W10") })
    }

    /// The deterministic interleaving: the run reads its input, a line is
    /// cancelled and another reduced (both commit), then the run stores its
    /// result. The commit-time check trims what the run gave those lines.
    @Test("lines cancelled or reduced while a run computes never keep allocations above their open quantity")
    func cancelDuringRun() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try AllocationStory.load(connection)
        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: connection)
        let result = try Allocator().allocate(input.scenario)

        let other = try database.connect()
        let orders = OrderStore(other)
        _ = try orders.cancel(order: try AllocationStory.order("PO-H1", other), line: 1, reason: "withdrawn")
        _ = try orders.amend(order: try AllocationStory.order("AC-1", other), line: 1, quantity: 32, reason: "fewer")

        let saved = try RunStore(connection).save(result, input: input, startedAt: Date(), computeMilliseconds: 1)
        #expect(saved.trimmed > 0)
        let plan = try AllocationStory.plan(connection)
        #expect(!plan.contains { $0.hasPrefix("PO-H1") })
        let ac1 = plan.filter { $0.hasPrefix("AC-1 ") }.map { Int($0.split(separator: " ")[2])! }.reduce(0, +)
        #expect(ac1 <= 32)
        #expect(try InvariantCheck(connection).violations().isEmpty)
        #expect(try RunStore(connection).history().first?.trimmedChips == saved.trimmed)
    }

    @Test("after a run, shipments consume the plan and cancellations release it, keeping it within open quantities")
    func planFollowsOrders() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try AllocationStory.load(connection)
        _ = try run(connection)
        let ac1 = try AllocationStory.order("AC-1", connection)
        let before = try AllocationStory.plan(connection).filter { $0.hasPrefix("AC-1 ") }
        #expect(!before.isEmpty)
        _ = try OrderStore(connection).ship(order: ac1, line: 1, quantity: 32, through: AllocationStory.asOf)
        _ = try OrderStore(connection).cancel(order: try AllocationStory.order("AC-2", connection), line: nil, reason: "moved to next quarter")
        let after = try AllocationStory.plan(connection)
        #expect(!after.contains { $0.hasPrefix("AC-2 ") })
        #expect(try InvariantCheck(connection).violations().isEmpty)
    }

    @Test("fixed lots beyond a week's supply are released and the run stores a plan within supply")
    func fixedShortfall() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try AllocationStory.load(connection)
        _ = try run(connection)
        // Supply of the frozen week collapses after the plan was made.
        try SupplyStore(connection).set(SupplyEntry(sku: "TRN3", week: AllocationStory.asOf, quantity: 0))
        _ = try InventoryStore(connection).adjust(sku: "TRN3", quantity: -48, reason: "scrapped")
        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: connection)
        #expect(input.scenario.fixed.contains { $0.period == AllocationStory.asOf && $0.quantity > 0 })
        let result = try Allocator().allocate(input.scenario)
        #expect(!result.released.isEmpty)
        #expect(result.released.allSatisfy { $0.sku == "TRN3" && $0.period == AllocationStory.asOf })
        #expect(!result.allocations.contains { $0.sku == "TRN3" && $0.period == AllocationStory.asOf })
        _ = try RunStore(connection).save(result, input: input, startedAt: Date(), computeMilliseconds: 1)
        #expect(try InvariantCheck(connection).violations().isEmpty)
    }

    @Test("db check names a violation written behind the job's back")
    func checkFindsViolation() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try AllocationStory.load(connection)
        let saved = try run(connection)
        let line: Int = try connection.queryFirst(
            "SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.reference = 'PO-N1'")!.decode("id")
        try connection.execute(
            "INSERT INTO allocations (run_id, order_line_id, week, quantity, sku, lot_size, customer_id) VALUES ($1, $2, '2027-W13', 4000, 'TRN3', 16, 'nordic-ai')",
            [saved.id, line])
        let violations = try InvariantCheck(connection).violations()
        #expect(violations.contains { $0.hasPrefix("allocations within supply per week") })
        #expect(violations.contains { $0.hasPrefix("allocations within each line's open quantity") })
    }

    @Test("the policy keeps its history and every run records the policy it used")
    func policyHistory() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try AllocationStory.load(connection)
        let store = PolicyStore(connection)
        #expect(try store.current().method == .fair)
        let set = try store.set(PolicyChanges(method: .proportional, internalFloor: Decimal(string: "0.6")))
        #expect(set.method == .proportional && set.internalFloor == Decimal(string: "0.6") && set.frozenWeeks == 2)
        #expect(try store.history().count == 2)
        #expect(throws: ValidationFailure.self) { try store.set(PolicyChanges(internalFloor: Decimal(string: "1.5"))) }
        _ = try run(connection)
        #expect(try RunStore(connection).history().first?.method == "proportional")
    }
}

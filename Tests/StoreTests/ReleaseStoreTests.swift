import Allocation
import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

/// What a run stores of the fixed lots it released (issue 12, section 1), as
/// the job does it with a login holding only `chipsales_app`.
@Suite("Releases a run stores")
struct ReleaseStoreTests {
    /// The story's first plan gives AC-1 208 chips in 2027-W10 (48 on hand and
    /// 160 of supply) and W10 is frozen. Supply of W10 is then cut to nothing
    /// and W13's raised: the next run must release 160 of AC-1's frozen chips
    /// and give them back in later weeks.
    @Test("a run after a supply cut below the frozen lots stores what it released, db check stays clean, and the chips come back in later weeks")
    func supplyCut() throws {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        let admin = try database.connect()
        try AllocationStory.load(admin)
        let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        func run() throws -> Int {
            let input = try PlanInput.read(asOf: AllocationStory.asOf, on: app)
            return try RunStore(app).save(try Allocator().allocate(input.scenario), input: input, startedAt: Date(), computeMilliseconds: 1).id
        }
        let w10 = AllocationStory.asOf
        let first = try run()
        #expect(try AllocationStory.plan(app, run: first).filter { $0.hasPrefix("AC-1 ") }
                == ["AC-1 2027-W10 208", "AC-1 2027-W11 80", "AC-1 2027-W12 32"])
        #expect(try RunStore(app).releases(run: first).isEmpty)
        #expect(try RunStore(app).history().first?.releasedChips == 0)

        try SupplyStore(app).set(SupplyEntry(sku: "TRN3", week: w10, quantity: 0))
        try SupplyStore(app).set(SupplyEntry(sku: "TRN3", week: w10.adding(3), quantity: 480))
        let second = try run()
        let ac1 = try AllocationStory.order("AC-1", app)
        #expect(try RunStore(app).releases(run: second)
                == [Release(order: ac1, line: 1, customer: "aws-cloud", sku: "TRN3", week: w10, quantity: 160)])
        let record = try #require(try RunStore(app).history().first)
        #expect(record.id == second && record.releasedChips == 160 && record.trimmedChips == 0)
        #expect(try InvariantCheck(app).violations() == [])

        // W10 keeps what its 48 chips of stock hold; the 160 released chips are AC-1's again from W12 on.
        let plan = try AllocationStory.plan(app).filter { $0.hasPrefix("AC-1 ") }
        #expect(plan.first == "AC-1 2027-W10 48")
        let chips = plan.map { Int($0.split(separator: " ")[2])! }
        #expect(chips.reduce(0, +) == 320)
        let later = plan.filter { $0.contains("2027-W12") || $0.contains("2027-W13") }.map { Int($0.split(separator: " ")[2])! }
        #expect(later.reduce(0, +) == 320 - 48 - 80)

        // Stored runs are history: their releases cannot be added to afterwards.
        let line: Int = try admin.queryFirst(
            "SELECT l.id FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.reference = 'AC-1'")!.decode("id")
        let late = #expect(throws: DatabaseError.self) {
            try app.execute(
                "INSERT INTO allocation_releases (run_id, order_line_id, week, quantity, sku, customer_id) VALUES ($1, $2, '2027-W11', 16, 'TRN3', 'aws-cloud')",
                [second, line])
        }
        #expect(late?.sqlState == .insufficientPrivilege)
        #expect(throws: NotFound("allocation run 99")) { try RunStore(app).releases(run: 99) }
    }

    /// Both frozen weeks cut to nothing: W10 keeps the 48 chips on hand for
    /// AC-1, W11 keeps nothing (PO-T1, outside, goes first, then AC-1).
    @Test("the releases a run names from its input (the summary's, dry runs too) are the rows it stores, in the same order")
    func releasesFromTheInput() throws {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        try AllocationStory.load(try database.connect())
        let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        func run() throws -> (id: Int, named: [Release]) {
            let input = try PlanInput.read(asOf: AllocationStory.asOf, on: app)
            let result = try Allocator().allocate(input.scenario)
            let named = try input.releases(in: result)
            return (try RunStore(app).save(result, input: input, startedAt: Date(), computeMilliseconds: 1).id, named)
        }
        let w10 = AllocationStory.asOf, w11 = w10.adding(1)
        #expect(try run().named == [])
        try SupplyStore(app).set(SupplyEntry(sku: "TRN3", week: w10, quantity: 0))
        try SupplyStore(app).set(SupplyEntry(sku: "TRN3", week: w11, quantity: 0))
        let second = try run()
        let ac1 = try AllocationStory.order("AC-1", app), t1 = try AllocationStory.order("PO-T1", app)
        #expect(second.named == [
            Release(order: ac1, line: 1, customer: "aws-cloud", sku: "TRN3", week: w10, quantity: 160),
            Release(order: ac1, line: 1, customer: "aws-cloud", sku: "TRN3", week: w11, quantity: 80),
            Release(order: t1, line: 1, customer: "tokyo-compute", sku: "TRN3", week: w11, quantity: 80),
        ])
        #expect(try RunStore(app).releases(run: second.id) == second.named)
        #expect(try RunStore(app).history().first?.releasedChips == 320)
    }
}

import Allocation
import Database
import Domain
import Foundation
import Store
import TestSupport
import Testing
import Values

/// No order the store accepts can make a later run fail: values and chip
/// sums are exact at any price and quantity the entry checks let through.
@Suite("Orders at the largest price and quantity")
struct LargeOrderTests {
    @Test("lines at the highest price and largest quantities are planned, and their value is exact")
    func largestOrdersPlanned() throws {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        let admin = try database.connect()
        try Fixtures.seed(admin)
        let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        // Three weeks of the most supply a week may have (whole lots of 16),
        // and the demand all in the third: that week has three billion chips
        // available and demanded, more than a 32-bit integer holds.
        let lots = maximumChips / 16 * 16
        for week in ["2027-W10", "2027-W11", "2027-W12"] {
            try SupplyStore(app).set(SupplyEntry(sku: "TRN3", week: Period(week)!, quantity: lots))
        }
        let price = "99999999999999.99"
        _ = try OrderStore(app).create(OrderDraft(
            customer: "tokyo-compute", reference: "PO-HUGE",
            lines: try (1...3).map { try LineDraft(number: $0, parsing: "TRN3:\(lots):2027-W12:\(price)") }),
            weeks: .includingPastWeeks)

        for _ in 1...2 {
            let input = try PlanInput.read(asOf: Period("2027-W10")!, on: app)
            let result = try Allocator().allocate(input.scenario)
            _ = try RunStore(app).save(result, input: input, startedAt: Date(), computeMilliseconds: 1)
        }

        let value = try ReportStore(app).read(.allocatedValue, filter: ReportFilter(customer: "tokyo-compute"))
        #expect(value.rows.count == 1)
        #expect(value.rows.first?[value.columns.firstIndex(of: "chips")!] == .int(3 * lots))
        // 3,000,000,000 chips x 99,999,999,999,999.99, exactly.
        #expect(lots == 1_000_000_000)
        #expect(value.rows.first?[value.columns.firstIndex(of: "value")!] == .number("299999999999999970000000.00"))
        let capacity = try ReportStore(app).read(.capacity, filter: ReportFilter(from: "2027-W12", to: "2027-W12"))
        #expect(capacity.rows.first?[capacity.columns.firstIndex(of: "available")!] == .int(3 * lots))
        #expect(capacity.rows.first?[capacity.columns.firstIndex(of: "allocated")!] == .int(3 * lots))
        let order = try #require(try OrderStore(app).list(customer: "tokyo-compute").first)
        #expect(order.ordered == 3 * lots)
        #expect(try InvariantCheck(app).violations() == [])
    }

    /// Orders, supply, stock, history and weights the store accepts, each near
    /// its largest, so that one SKU has far more than 2^31 lots and priorities
    /// need more than 128 bits: every method plans them, run after run.
    @Test("SKUs with billions of lots and the largest, most precise weights are planned by every method, as the app role runs it")
    func largestQuantitiesAndWeightsPlanned() throws {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        let admin = try database.connect()
        try Fixtures.seed(admin)
        try ProductStore(admin).add(try Domain.Product(sku: "ONE", name: "One chip", lotSize: 1,
                                                       unitPrice: Decimal(string: "99999999999999.99")!, currency: "USD"))
        let appURL = database.url(asUser: login)
        let app = try Connection(configuration: ConnectionConfiguration(connectionString: appURL))
        var heaviest = CustomerChanges()
        heaviest.weight = Decimal(string: "999999.999999")!
        try CustomerStore(app).update("tokyo-compute", heaviest)
        var precise = CustomerChanges()
        precise.weight = Decimal(string: "12345.678912")!
        precise.minimums = ["ONE": maximumChips]
        try CustomerStore(app).update("helios-dc", precise)

        let weeks = ["2027-W10", "2027-W11", "2027-W12"]
        for week in weeks {
            try SupplyStore(app).set(SupplyEntry(sku: "ONE", week: Period(week)!, quantity: maximumChips))
            try SupplyStore(app).set(SupplyEntry(sku: "TRN3", week: Period(week)!, quantity: maximumChips))
        }
        func order(_ customer: String, _ reference: String, _ sku: String, lines: Int) throws -> Int {
            try OrderStore(app).create(OrderDraft(
                customer: customer, reference: reference,
                lines: try (1...lines).map { try LineDraft(number: $0, parsing: "\(sku):\(maximumChips):2027-W10") })).order.id
        }
        // Shipped before the horizon: a billion chips of history for turn-and-earn.
        _ = try InventoryStore(app).receive(sku: "ONE", quantity: maximumChips, note: "first")
        _ = try InventoryStore(app).receive(sku: "ONE", quantity: maximumChips, note: "second")
        _ = try OrderStore(app).ship(order: try order("tokyo-compute", "PO-SHIPPED", "ONE", lines: 1), line: 1, quantity: maximumChips,
                                     beyondPlan: true, reason: "history before any plan")
        // ONE (lot 1): 8 billion chips ordered, 4 billion available over the horizon.
        _ = try order("tokyo-compute", "PO-ONE", "ONE", lines: 3)
        _ = try order("helios-dc", "PO-ONE", "ONE", lines: 3)
        _ = try order("aws-cloud", "PO-ONE", "ONE", lines: 2)
        // TRN3 (lot 16): 35 billion chips, 2.19 billion lots, ordered.
        _ = try order("tokyo-compute", "PO-TRN3", "TRN3", lines: 15)
        _ = try order("helios-dc", "PO-TRN3", "TRN3", lines: 10)
        _ = try order("aws-cloud", "PO-TRN3", "TRN3", lines: 10)

        for method in Policy.Method.allCases {
            _ = try PolicyStore(app).set(PolicyChanges(method: method, internalFloor: Decimal(string: "0.654321")!,
                                                       frozenWeeks: 2, historyWeeks: 520))
            // The second run keeps the first one's frozen weeks as fixed lots.
            for _ in 1...2 {
                let run = try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: ["DATABASE_URL": appURL])
                #expect(run.status == 0, "\(method): \(run.stderr)")
                #expect(try InvariantCheck(app).violations() == [], "\(method)")
                // Demand exceeds every week's supply: every chip is planned.
                var weeksPlanned = 0
                for row in try admin.execute("SELECT sku, week::text AS week, available, allocated FROM allocation_periods WHERE run_id = current_run_id()") {
                    let available: Int = try row.decode("available")
                    let allocated: Int = try row.decode("allocated")
                    let sku: String = try row.decode("sku"), week: String = try row.decode("week")
                    #expect(allocated == available, "\(method) \(sku) \(week)")
                    weeksPlanned += 1
                }
                #expect(weeksPlanned == 6, "\(method)")
            }
        }
        // Fair, first week of ONE: 2 billion lots. The guarantees ask for more
        // (helios-dc's minimum of a billion, the internal floor of 0.654321 of
        // them) and share them by weight: helios-dc fills its minimum first.
        _ = try PolicyStore(app).set(PolicyChanges(method: .fair, frozenWeeks: 0))
        #expect(try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: ["DATABASE_URL": appURL]).status == 0)
        var firstWeek: [String: Int] = [:]
        for row in try admin.execute(
            "SELECT customer_id, allocated FROM allocation_explanations WHERE run_id = current_run_id() AND sku = 'ONE' AND week = '2027-W10'") {
            firstWeek[try row.decode("customer_id")] = try row.decode("allocated")
        }
        #expect(firstWeek == ["helios-dc": maximumChips, "aws-cloud": maximumChips, "tokyo-compute": 0])
    }
}

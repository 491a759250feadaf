import Allocation
import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

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
            try SupplyStore(app).set(SupplyEntry(sku: "TRN3", week: ISOWeek(week)!, quantity: lots))
        }
        let price = "99999999999999.99"
        _ = try OrderStore(app).create(OrderDraft(
            customer: "tokyo-compute", reference: "PO-HUGE",
            lines: try (1...3).map { try LineDraft(number: $0, parsing: "TRN3:\(lots):2027-W12:\(price)") }),
            weeks: .includingPastWeeks)

        for _ in 1...2 {
            let input = try PlanInput.read(asOf: ISOWeek("2027-W10")!, on: app)
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
}

import Allocation
import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

@Suite("Reports")
struct ReportTests {
    /// The allocation story after one run, with a shipment and a receipt so every report has figures.
    func seeded() throws -> (TestDatabase, Connection) {
        let database = try TestDatabase.make()
        let connection = try database.connect()
        try AllocationStory.load(connection)
        _ = try OrderStore(connection).create(OrderDraft(
            customer: "tokyo-compute", reference: "PO-EUR",
            lines: [LineDraft(number: 1, parsing: "TRN3:32:2027-W10:9100.50")]), weeks: .includingPastWeeks)
        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: connection)
        _ = try RunStore(connection).save(try Allocator().allocate(input.scenario), input: input, startedAt: Date(), computeMilliseconds: 1)
        return (database, connection)
    }

    func total(_ table: ReportTable, _ column: String) -> Decimal {
        let index = table.columns.firstIndex(of: column)!
        return table.rows.reduce(Decimal(0)) { sum, row in
            switch row[index] {
            case .int(let v): sum + Decimal(v)
            case .number(let text): sum + Decimal(string: text)!
            default: sum
            }
        }
    }

    func sql(_ connection: Connection, _ query: StaticString) throws -> Decimal {
        try connection.queryFirst("\(query)")!.decodeIfPresent("n", as: Decimal.self) ?? 0
    }

    @Test("each report's totals equal an independent sum over the base tables")
    func totalsMatchBaseTables() throws {
        let (database, connection) = try seeded()
        defer { database.drop() }
        let reports = ReportStore(connection)
        let book = try reports.read(.orderBook, filter: ReportFilter())
        #expect(total(book, "ordered") == (try sql(connection, "SELECT sum(quantity) AS n FROM order_lines")))
        #expect(total(book, "allocated") == (try sql(connection, "SELECT sum(quantity) AS n FROM allocations")))
        let share = try reports.read(.internalShare, filter: ReportFilter())
        #expect(total(share, "internal_chips") == (try sql(connection, """
            SELECT sum(a.quantity) AS n FROM allocations a JOIN customers c ON c.id = a.customer_id WHERE c.internal
            """)))
        #expect(total(share, "outside_chips") == (try sql(connection, """
            SELECT sum(a.quantity) AS n FROM allocations a JOIN customers c ON c.id = a.customer_id WHERE NOT c.internal
            """)))
        let capacity = try reports.read(.capacity, filter: ReportFilter())
        #expect(total(capacity, "supply") == (try sql(connection, "SELECT sum(quantity) AS n FROM supply_capacity")))
        #expect(total(capacity, "allocated") == (try sql(connection, "SELECT sum(quantity) AS n FROM allocations")))
        let backlog = try reports.read(.backlog, filter: ReportFilter())
        #expect(total(backlog, "chips") == (try sql(connection, """
            SELECT sum(l.quantity - l.cancelled_qty - l.shipped_qty - coalesce(a.chips, 0)) AS n
            FROM order_lines l LEFT JOIN (SELECT order_line_id, sum(quantity) AS chips FROM allocations GROUP BY 1) a
                 ON a.order_line_id = l.id
            """)))
        let value = try reports.read(.allocatedValue, filter: ReportFilter())
        #expect(total(value, "value") == (try sql(connection, """
            SELECT sum(a.quantity * l.unit_price) AS n FROM allocations a JOIN order_lines l ON l.id = a.order_line_id
            """)))
        #expect(total(value, "chips") == (try sql(connection, "SELECT sum(quantity) AS n FROM allocations")))
        let inventory = try reports.read(.inventory, filter: ReportFilter())
        #expect(total(inventory, "on_hand") == (try sql(connection, "SELECT sum(quantity) AS n FROM inventory_movements")))
    }

    @Test("run-change shows who gained and lost chips between runs, and it adds up")
    func runChange() throws {
        let (database, connection) = try seeded()
        defer { database.drop() }
        _ = try PolicyStore(connection).set(PolicyChanges(internalFloor: Decimal(string: "0.9"), frozenWeeks: 0))
        let input = try PlanInput.read(asOf: AllocationStory.asOf, on: connection)
        let second = try RunStore(connection).save(try Allocator().allocate(input.scenario), input: input, startedAt: Date(), computeMilliseconds: 1)
        let change = try ReportStore(connection).read(.runChange, filter: ReportFilter())
        #expect(change.run == second.id)
        let before: Decimal = try sql(connection, "SELECT sum(quantity) AS n FROM allocations WHERE run_id = 1")
        let after: Decimal = try sql(connection, "SELECT sum(quantity) AS n FROM allocations WHERE run_id = 2")
        #expect(total(change, "change") == after - before)
        let aws = change.rows.first { $0[change.columns.firstIndex(of: "customer_id")!] == .text("aws-cloud") }
        #expect(aws != nil)
        if let aws { #expect(aws[change.columns.firstIndex(of: "change")!] != .int(0)) }
        // The first run compared with nothing.
        let first = try ReportStore(connection).read(.runChange, filter: ReportFilter(run: 1))
        #expect(total(first, "change") == before)
    }

    @Test("filters narrow the rows; a filter on something with no rows gives an empty report, one naming nothing is refused")
    func filters() throws {
        let (database, connection) = try seeded()
        defer { database.drop() }
        let reports = ReportStore(connection)
        let weeks = try reports.read(.capacity, filter: ReportFilter(from: "2027-W11", to: "2027-W12"))
        #expect(weeks.rows.map { $0[1] } == [.text("2027-W11"), .text("2027-W12")])
        let helios = try reports.read(.orderBook, filter: ReportFilter(customer: "helios-dc"))
        #expect(!helios.rows.isEmpty && helios.rows.allSatisfy { $0[0] == .text("helios-dc") })
        #expect(throws: NotFound("customer nobody")) { try reports.read(.backlog, filter: ReportFilter(customer: "nobody")) }
        #expect(throws: NotFound("product NOPE")) { try reports.read(.capacity, filter: ReportFilter(sku: "NOPE")) }
        #expect(throws: NotFound("allocation run 424242")) { try reports.read(.capacity, filter: ReportFilter(run: 424242)) }
        #expect(try reports.read(.internalShare, filter: ReportFilter(sku: "TRN3-SERVER")).rows.isEmpty)
        #expect(throws: Never.self) { try reports.read(.inventory, filter: ReportFilter(sku: "TRN3")) }
    }

    @Test("per-run reports need a plan and say so")
    func noPlan() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        #expect(throws: NotFound.self) { try ReportStore(connection).read(.capacity, filter: ReportFilter()) }
        #expect(try ReportStore(connection).read(.inventory, filter: ReportFilter()).rows.isEmpty)
    }
}

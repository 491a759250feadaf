import Database
import Domain
import Foundation

/// One row of an order file, read with the same parsers and rules as
/// `order create` (`OrderDraft`, `LineDraft`): the same trimming and case,
/// the same limits, the same checks against the catalogue and the weeks
/// entry accepts. A row with any problem is reported, not staged.
struct OrderImportRow {
    let customer: String
    let reference: String
    let line: LineDraft
    /// The week is one `weeks` does not accept: a problem only when the
    /// order is new (an order already recorded the same is skipped), which
    /// the import learns once the whole file is staged.
    let pastWeek: Bool

    /// Reads one record (`customer,reference,line,sku,quantity,week[,unit_price]`).
    /// Every problem of the row is added to `problems`; `nil` when there was one.
    static func read(
        _ fields: [String], line fileLine: Int, catalogue: OrderCatalogue, weeks: EntryWeeks,
        currencies: inout [OrderKey: OrderCurrencies], problems: inout ImportProblems
    ) -> OrderImportRow? {
        let before = problems.total
        func field<T>(_ parse: () throws -> T) -> T? {
            do {
                return try parse()
            } catch let failure as ValidationFailure {
                problems.add(line: fileLine, failure)
            } catch {
                problems.add(line: fileLine, field: "row") { "\(error)" }
            }
            return nil
        }
        let path = problems.path
        let customer = field { try Customer.validID(fields[0]) }
        let reference = field { try OrderDraft.validReference(fields[1], record: "\(path) line \(fileLine)") }
        let number = field { try LineDraft.number(parsing: fields[2], record: "\(path) line \(fileLine)") }
        let sku = field { try Product.validSKU(fields[3]) }
        let quantity = field { try LineDraft.quantity(parsing: fields[4], record: "\(path) line \(fileLine)") }
        let week = field { try LineDraft.week(parsing: fields[5], record: "\(path) line \(fileLine)") }
        let price = fields.count > 6 ? field { try LineDraft.unitPrice(parsing: fields[6], record: "\(path) line \(fileLine)") } : .some(nil)
        if let customer, !catalogue.customers.contains(customer) {
            // The message (with its suggestion) is written only when it will be shown.
            problems.add(line: fileLine, field: "customer") { catalogue.customerProblem(customer) ?? "" }
        }
        // The line's own checks need only its fields, so a bad reference does not hide a bad quantity.
        guard let number, let sku, let quantity, let week, let price,
              let line = field({ try LineDraft(number: number, sku: sku, quantity: quantity, requestedWeek: week, unitPrice: price) })
        else { return nil }
        for failure in line.problems(in: catalogue, weeks: .includingPastWeeks, record: "\(path) line \(fileLine)") {
            problems.add(line: fileLine, failure)
        }
        guard let customer, let reference else { return nil }
        if catalogue.hasSeveralCurrencies, let product = catalogue.products[sku],
           let problem = currencies[OrderKey(customer: customer, reference: reference), default: OrderCurrencies()].add(sku, product.currency) {
            problems.add(line: fileLine, field: "currency") { problem }
        }
        guard problems.total == before else { return nil }
        return OrderImportRow(customer: customer, reference: reference, line: line, pastWeek: !weeks.accepts(week))
    }

    /// Reads an order file (either accepted header) row by row with `read`,
    /// handing `body` each record's file line and row (`nil` when the row has
    /// a problem, which is in `problems`). `body` returns whether to go on;
    /// reading stops at the first `false`.
    ///
    /// - Returns: the number of records in the file (0 when `body` stopped the reading).
    static func readFile(
        path: String, catalogue: OrderCatalogue, weeks: EntryWeeks, problems: inout ImportProblems,
        _ body: (_ line: Int, _ row: OrderImportRow?) throws -> Bool
    ) throws -> Int {
        let base = ["customer", "reference", "line", "sku", "quantity", "week"]
        var currencies: [OrderKey: OrderCurrencies] = [:]
        do {
            return try CSVFile(path: path, headers: [base, base + ["unit_price"]]).read(problems: &problems) { line, fields, problems in
                let row = read(fields, line: line, catalogue: catalogue, weeks: weeks, currencies: &currencies, problems: &problems)
                guard try body(line, row) else { throw Stop() }
            }.records
        } catch is Stop {
            return 0
        }
    }

    private struct Stop: Error {}

    /// Writes the row in the staging table's column order; `startsOrder`
    /// when the previous staged row was of another order (`OrderRuns`).
    func write(line fileLine: Int, startsOrder: Bool, to writer: inout CopyInWriter) throws {
        writer.field(fileLine)
        writer.field(customer)
        writer.field(reference)
        writer.field(line.number)
        writer.field(line.sku)
        writer.field(line.quantity)
        writer.field(line.requestedWeek.description)
        if let price = line.unitPrice { writer.field(price.description) } else { writer.field(copyText: Self.null) }
        writer.field(pastWeek)
        writer.field(startsOrder)
        try writer.endRow()
    }

    private static let null = Array("\\N".utf8)
}

/// An order's identity within a file.
struct OrderKey: Hashable {
    let customer: String
    let reference: String
}

import Database
import Domain
import Foundation

extension OrderStore {
    /// The import of a clean file of new orders, each order's rows together:
    /// the common case, in two passes over the file and with no staging of
    /// its lines.
    ///
    /// The first pass reads and checks every row as the staged import does
    /// (`OrderImportRow`) and stages only the orders, one row each. The
    /// orders are inserted in file order; the second pass reads the file
    /// again and streams its lines with COPY straight into `order_lines`,
    /// each under its order's new id. Every check the database makes on a
    /// line (its triggers and constraints) runs as for any insert.
    ///
    /// Returns `nil`, having stored nothing, whenever the staged import must
    /// decide: a row with a problem, a week entry does not accept, an order
    /// whose rows are not together or that gives a line twice, an order
    /// already recorded. That import then reports or skips exactly as it
    /// always has. A file that changes between the two passes is refused.
    func importDirect(
        path: String, weeks: EntryWeeks, catalogue: OrderCatalogue, on tx: Connection, progress: ((ImportProgress) -> Void)?
    ) throws -> OrderImportSummary? {
        let listPrices = try Self.listPrices(on: tx)
        try tx.executeScript("""
            CREATE TEMP TABLE order_import_orders (
                file_line integer NOT NULL, customer text COLLATE "C" NOT NULL, reference text COLLATE "C" NOT NULL
            ) ON COMMIT DROP
            """)
        let first = try stageOrders(path: path, catalogue: catalogue, weeks: weeks, on: tx, progress: progress)
        guard first.complete, first.records > 0 else { return nil }
        let recorded: Bool = try tx.queryOne("""
            SELECT EXISTS (SELECT 1 FROM orders o
                           WHERE (o.customer_id, o.reference) IN (SELECT customer, reference FROM order_import_orders)) AS recorded
            """).decode("recorded")
        guard !recorded else { return nil }
        progress?(.storing)
        var ids = try insertOrders(on: tx)

        var second = DirectPass(), secondRuns = OrderRuns(remembering: false)
        var orderID: Int?
        let lines = try tx.copyIn(
            "COPY order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency) FROM STDIN"
        ) { writer in
            try second.read(path: path, catalogue: catalogue, weeks: weeks) { _, row in
                guard let row, let product = catalogue.products[row.line.sku], let listPrice = listPrices[row.line.sku]
                else { throw ImportFileChanged(path: path) }
                if secondRuns.add(customer: row.customer, reference: row.reference, line: row.line.number) { orderID = ids.next() }
                guard let orderID else { throw ImportFileChanged(path: path) }
                writer.field(orderID)
                writer.field(row.line.number)
                writer.field(row.line.sku)
                writer.field(product.lotSize)
                writer.field(row.line.quantity)
                writer.field(row.line.requestedWeek.description)
                writer.field(row.line.unitPrice.map(\.description) ?? listPrice)
                writer.field(product.currency)
                try writer.endRow()
                return true
            }
        }
        guard second.complete, second.records == first.records, second.digest == first.digest, ids.next() == nil else {
            throw ImportFileChanged(path: path)
        }
        return OrderImportSummary(rows: first.records, ordersCreated: ids.count, linesCreated: lines, ordersAlreadyRecorded: 0)
    }

    /// Pass 1: reads and checks every row, and stages each order once (its
    /// first row's line, customer and reference). The pass is incomplete when
    /// a row has a problem or a past week, or an order's rows lie apart.
    private func stageOrders(
        path: String, catalogue: OrderCatalogue, weeks: EntryWeeks, on tx: Connection, progress: ((ImportProgress) -> Void)?
    ) throws -> DirectPass {
        var pass = DirectPass(), runs = OrderRuns()
        try tx.copyIn("COPY order_import_orders (file_line, customer, reference) FROM STDIN") { writer in
            try pass.read(path: path, catalogue: catalogue, weeks: weeks) { line, row in
                progress?(.read(rows: line - 1))
                // A problem, a past week, or an order apart or with a line twice: the staged import decides.
                guard let row, !row.pastWeek else { return false }
                let starts = runs.add(customer: row.customer, reference: row.reference, line: row.line.number)
                guard runs.adjacent else { return false }
                if starts {
                    writer.field(line)
                    writer.field(row.customer)
                    writer.field(row.reference)
                    try writer.endRow()
                }
                return true
            }
        }
        return pass
    }

    /// Inserts the staged orders in file order; their new ids in that order.
    private func insertOrders(on tx: Connection) throws -> IDRuns {
        try tx.executeScript("""
            CREATE TEMP TABLE order_import_ids ON COMMIT DROP AS
            WITH inserted AS (
                INSERT INTO orders (customer_id, reference)
                SELECT customer, reference FROM order_import_orders ORDER BY file_line
                RETURNING id
            )
            SELECT id FROM inserted
            """)
        // Ids are drawn in insertion order, so in id order they are in file order.
        var ids = IDRuns()
        var failure: Error?
        _ = try tx.copyOut("COPY (SELECT id FROM order_import_ids ORDER BY id) TO STDOUT") { row in
            let digits = row.last == 10 ? UnsafeRawBufferPointer(rebasing: row.dropLast()) : row
            guard let id = CopyFields.integer(digits) else {
                failure = failure ?? StoreInconsistency(
                    table: "orders", row: "a new order", column: "id", value: String(decoding: row, as: UTF8.self), problem: "is not an id")
                return
            }
            ids.append(id)
        }
        if let failure { throw failure }
        return ids
    }

    /// Each product's list price as stored (exact text), by SKU.
    static func listPrices(on tx: Connection) throws -> [String: String] {
        var prices: [String: String] = [:]
        for row in try tx.execute("SELECT sku, unit_price::text AS price FROM products") {
            prices[try row.decode("sku")] = try row.decode("price")
        }
        return prices
    }
}

/// One pass of the direct import over the file: the rows read and a digest
/// of every row, so the second pass can tell that it read what the first did.
private struct DirectPass {
    private(set) var records = 0
    private(set) var digest = 0
    /// Every row was read and handed on, none with a problem.
    private(set) var complete = false

    /// Reads the file (`OrderImportRow.readFile`); `body` gets each row
    /// (`nil` for a row with a problem) and returns whether to go on.
    mutating func read(
        path: String, catalogue: OrderCatalogue, weeks: EntryWeeks,
        _ body: (_ line: Int, _ row: OrderImportRow?) throws -> Bool
    ) throws {
        var problems = ImportProblems(path: path)
        var hasher = Hasher()
        var going = true
        records = try OrderImportRow.readFile(path: path, catalogue: catalogue, weeks: weeks, problems: &problems) { line, row in
            if let row {
                hasher.combine(line)
                hasher.combine(row.customer)
                hasher.combine(row.reference)
                hasher.combine(row.line)
            }
            going = try body(line, row)
            return going
        }
        digest = hasher.finalize()
        complete = going && problems.isEmpty
    }
}

/// New order ids in file order, kept as runs of consecutive ids (one run
/// when no other session drew ids meanwhile, so memory stays flat), and
/// handed out again in that order.
private struct IDRuns {
    private var runs: [(first: Int, count: Int)] = []
    private(set) var count = 0
    private var run = 0
    private var offset = 0

    mutating func append(_ id: Int) {
        if let last = runs.last, last.first + last.count == id {
            runs[runs.count - 1].count += 1
        } else {
            runs.append((id, 1))
        }
        count += 1
    }

    /// The next order's id, or `nil` after the last.
    mutating func next() -> Int? {
        while run < runs.count, offset == runs[run].count {
            run += 1
            offset = 0
        }
        guard run < runs.count else { return nil }
        defer { offset += 1 }
        return runs[run].first + offset
    }
}

import Database
import Domain
import Foundation
import Values

extension OrderStore {
    /// Imports orders from CSV (`customer,reference,line,sku,quantity,week[,unit_price]`),
    /// all or nothing.
    ///
    /// Each row is read while the file streams, with the same parsers and
    /// rules as `create` (`OrderDraft`, `LineDraft`, `OrderCatalogue`): the
    /// same trimming and case, the same limits, unknown customers and SKUs,
    /// quantities that are not whole lots, weeks before `weeks.earliest`,
    /// lines in two currencies. The rows without a problem stream into a
    /// staging table with COPY, already normalised, where lines given twice
    /// and orders already recorded with other content are found set-wise.
    /// Every problem is reported with its file line (the first
    /// `ImportProblems.limit`, and how many in all); only a clean file is
    /// stored, in this one transaction. Orders already recorded with the same
    /// content are skipped, so re-importing a file changes nothing.
    ///
    /// The orders of the file already recorded are taken once, before the
    /// checks, and every other order is inserted. Another session that
    /// stores one of those orders in the meantime makes the insert fail on
    /// the order's key; the import then starts over (at most twice), finds
    /// that order recorded and compares its lines like any other. Only a
    /// regular file can be read again; from a pipe the conflict is reported.
    /// `progress`, when given, hears of the rows read and of the storing.
    public func importCSV(
        path: String, weeks: EntryWeeks = .fromThisWeek, progress: ((ImportProgress) -> Void)? = nil
    ) throws -> OrderImportSummary {
        let rereadable = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType == .typeRegular
        var attempt = 1
        while true {
            do {
                return try importOnce(path: path, weeks: weeks, rereadable: rereadable, progress: progress)
            } catch let error as DatabaseError
                where error.sqlState == .uniqueViolation && error.constraint == "orders_customer_reference_key"
                && rereadable && attempt < 3 {
                attempt += 1
            }
        }
    }

    private func importOnce(
        path: String, weeks: EntryWeeks, rereadable: Bool, progress: ((ImportProgress) -> Void)?
    ) throws -> OrderImportSummary {
        try connection.transaction { tx in
            // A million new lines are hashed and grouped several times by the
            // insert's triggers: in memory that takes seconds less than in
            // temporary files. (Not temp_buffers: behind a pooler the server
            // session may have used temporary tables already, and then it
            // cannot change.)
            try tx.executeScript("SET LOCAL work_mem = '256MB'")
            let catalogue = try Self.catalogue(on: tx)
            // A file that can be read twice, clean and of new orders, takes the direct way.
            if rereadable,
               let summary = try importDirect(path: path, weeks: weeks, catalogue: catalogue, on: tx, progress: progress) {
                return summary
            }
            return try importStaged(path: path, weeks: weeks, catalogue: catalogue, on: tx, progress: progress)
        }
    }

    /// The import that stages every row first: for a file from a pipe, and
    /// for any file the direct import leaves to it (problems to report,
    /// orders already recorded, an order's rows apart).
    private func importStaged(
        path: String, weeks: EntryWeeks, catalogue: OrderCatalogue, on tx: Connection, progress: ((ImportProgress) -> Void)?
    ) throws -> OrderImportSummary {
        // The staged rows have no statistics, so the planner guesses a few
        // thousand and joins the lines to their new orders by sorting both
        // (twice the CPU of hashing: 290 against 140 ms at 200,000 lines).
        try tx.executeScript("SET LOCAL enable_mergejoin = off")
        // The week is checked as an ISO week while the rows stream in, on
        // the server's core, so the insert copies it unchecked.
        try tx.executeScript("""
            CREATE TEMP TABLE order_import (
                file_line integer NOT NULL, customer text COLLATE "C" NOT NULL, reference text COLLATE "C" NOT NULL,
                line_no integer NOT NULL, sku text COLLATE "C" NOT NULL, quantity integer NOT NULL,
                week iso_week COLLATE "C" NOT NULL, unit_price numeric, past_week boolean NOT NULL,
                starts_order boolean NOT NULL
            ) ON COMMIT DROP
            """)
        var problems = ImportProblems(path: path)
        var rows = 0
        var runs = OrderRuns()
        try tx.copyIn(
            "COPY order_import (file_line, customer, reference, line_no, sku, quantity, week, unit_price, past_week, starts_order) FROM STDIN"
        ) { writer in
            rows = try OrderImportRow.readFile(path: path, catalogue: catalogue, weeks: weeks, problems: &problems) { line, row in
                progress?(.read(rows: line - 1))
                guard let row else { return true }
                let starts = runs.add(customer: row.customer, reference: row.reference, line: row.line.number)
                try row.write(line: line, startsOrder: starts, to: &writer)
                return true
            }
        }
        progress?(.storing)
        // The file's orders already recorded, as of now: the checks compare
        // their lines, and the insert leaves exactly these out.
        try tx.executeScript("""
            CREATE TEMP TABLE order_import_recorded ON COMMIT DROP AS
            SELECT o.id, o.customer_id AS customer, o.reference FROM orders o
            WHERE (o.customer_id, o.reference) IN (SELECT customer, reference FROM order_import WHERE starts_order)
            """)
        try findPastWeeks(on: tx, weeks: weeks, problems: &problems)
        // Before anything is inserted: the unique key on the lines would
        // find them too, but only after the orders' ids were drawn, and a
        // refused file leaves even the sequences as they were. When every
        // order came as one run with no line twice, there is none to find.
        if !runs.adjacent { try findRepeatedLines(on: tx, problems: &problems) }
        try findConflicts(on: tx, problems: &problems)
        if !problems.isEmpty { throw problems.failures }
        let existing: Int = try tx.queryOne("SELECT count(*) AS n FROM order_import_recorded").decode("n")
        let inserted = try tx.queryOne(
            """
            WITH new_orders AS (
                INSERT INTO orders (customer_id, reference)
                SELECT i.customer, i.reference FROM order_import i
                WHERE NOT EXISTS (SELECT 1 FROM order_import_recorded r WHERE r.customer = i.customer AND r.reference = i.reference)
                \(runs.adjacent ? "AND i.starts_order ORDER BY i.file_line" : "GROUP BY i.customer, i.reference ORDER BY min(i.file_line)")
                RETURNING id, customer_id, reference  -- ids in file order
            ), new_lines AS (
                INSERT INTO order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency)
                SELECT n.id, i.line_no, i.sku, p.lot_size, i.quantity, i.week, coalesce(i.unit_price, p.unit_price), p.currency
                FROM order_import i
                JOIN new_orders n ON n.customer_id = i.customer AND n.reference = i.reference
                JOIN products p ON p.sku = i.sku
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM new_orders) AS orders, (SELECT count(*) FROM new_lines) AS lines
            """)
        return OrderImportSummary(
            rows: rows, ordersCreated: try inserted.decode("orders"), linesCreated: try inserted.decode("lines"),
            ordersAlreadyRecorded: existing)
    }

    /// The products and customers an import checks its rows against, read once.
    static func catalogue(on tx: Connection) throws -> OrderCatalogue {
        let customers = try tx.execute("SELECT id FROM customers").map { try $0.decode("id", as: String.self) }
        return OrderCatalogue(products: try productTerms(on: tx), customers: Set(customers))
    }

    /// Lines of new orders for a week entry does not accept (`EntryWeeks`):
    /// an order already recorded the same is skipped whatever its weeks, so
    /// re-importing a file stays harmless after its weeks have passed.
    private func findPastWeeks(on tx: Connection, weeks: EntryWeeks, problems: inout ImportProblems) throws {
        let rows = try tx.execute(
            """
            SELECT i.file_line, i.week, count(*) OVER () AS total FROM order_import i
            WHERE i.past_week
              AND NOT EXISTS (SELECT 1 FROM order_import_recorded r WHERE r.customer = i.customer AND r.reference = i.reference)
            ORDER BY i.file_line LIMIT $1
            """, [ImportProblems.limit])
        for row in rows {
            let week: Period = try row.decode("week")
            problems.add(line: try row.decode("file_line"), field: "week") { weeks.pastWeek(week) }
        }
        problems.addUndescribed(try rows.first.map { try $0.decode("total", as: Int.self) - rows.count } ?? 0)
    }

    /// A line of an order given twice in the file (`1` and `01` are the same
    /// line): every row after the first is a problem.
    private func findRepeatedLines(on tx: Connection, problems: inout ImportProblems) throws {
        let rows = try tx.execute(
            """
            WITH repeated AS (
                SELECT customer, reference, line_no, min(file_line) AS first_line
                FROM order_import GROUP BY customer, reference, line_no HAVING count(*) > 1
            )
            SELECT i.file_line, i.customer, i.reference, i.line_no, r.first_line, count(*) OVER () AS total
            FROM order_import i JOIN repeated r USING (customer, reference, line_no)
            WHERE i.file_line <> r.first_line
            ORDER BY i.file_line LIMIT $1
            """, [ImportProblems.limit])
        for row in rows {
            let customer: String = try row.decode("customer"), reference: String = try row.decode("reference")
            let number: Int = try row.decode("line_no"), first: Int = try row.decode("first_line")
            problems.add(line: try row.decode("file_line"), field: "line") {
                "order \(customer)/\(Echo.value(reference)) line \(number) appears more than once in the file (first on line \(first))"
            }
        }
        problems.addUndescribed(try rows.first.map { try $0.decode("total", as: Int.self) - rows.count } ?? 0)
    }

    /// Orders of the file already recorded with other content: each is
    /// reported on its first file line with the differences, as
    /// `create` reports them (`Order.differences`, `OrderConflict`).
    private func findConflicts(on tx: Connection, problems: inout ImportProblems) throws {
        let conflicting = try tx.execute(
            """
            WITH file_lines AS (
                SELECT r.id AS order_id, f.line_no, f.sku, f.quantity, f.week, f.unit_price, f.file_line
                FROM order_import f JOIN order_import_recorded r ON r.customer = f.customer AND r.reference = f.reference
            ), stored AS (
                SELECT l.order_id, l.line_no, l.sku, l.quantity, l.requested_week::text AS week, l.unit_price
                FROM order_lines l WHERE l.order_id IN (SELECT id FROM order_import_recorded)
            ), differing AS (
                SELECT DISTINCT coalesce(f.order_id, s.order_id) AS order_id
                FROM file_lines f FULL JOIN stored s ON s.order_id = f.order_id AND s.line_no = f.line_no
                WHERE f.order_id IS NULL OR s.order_id IS NULL OR f.sku <> s.sku OR f.quantity <> s.quantity
                   OR f.week <> s.week OR f.unit_price <> s.unit_price
            ), first_lines AS (
                SELECT order_id, min(file_line) AS first_line FROM file_lines GROUP BY order_id
            )
            SELECT d.order_id, r.customer, r.reference, fl.first_line, count(*) OVER () AS total
            FROM differing d JOIN order_import_recorded r ON r.id = d.order_id JOIN first_lines fl USING (order_id)
            ORDER BY fl.first_line LIMIT $1
            """, [ImportProblems.limit])
        guard !conflicting.isEmpty else { return }
        problems.addUndescribed(try conflicting.first!.decode("total", as: Int.self) - conflicting.count)
        struct Key: Encodable { let customer: String, reference: String }
        let keys = try conflicting.map { Key(customer: try $0.decode("customer"), reference: try $0.decode("reference")) }
        var entered: [OrderKey: [LineDraft]] = [:]
        for row in try tx.execute(
            """
            SELECT customer, reference, line_no, sku, quantity, week, unit_price FROM order_import
            WHERE (customer, reference) IN (SELECT * FROM jsonb_to_recordset($1::jsonb) AS k(customer text, reference text))
            ORDER BY file_line
            """, [String(decoding: try JSONEncoder().encode(keys), as: UTF8.self)]) {
            let key = OrderKey(customer: try row.decode("customer"), reference: try row.decode("reference"))
            entered[key, default: []].append(try LineDraft(
                number: try row.decode("line_no"), sku: try row.decode("sku"), quantity: try row.decode("quantity"),
                requestedWeek: try row.decode("week", as: Period.self), unitPrice: try row.decodeIfPresent("unit_price")))
        }
        for row in conflicting {
            let key = OrderKey(customer: try row.decode("customer"), reference: try row.decode("reference"))
            let id: Int = try row.decode("order_id")
            let line: Int = try row.decode("first_line")
            guard let order = try find(id, on: tx) else {
                let conflict = OrderConflict.noLines(orderID: id, customer: key.customer, reference: key.reference)
                problems.add(line: line, field: "reference") { conflict.description }
                continue
            }
            guard let draft = try? OrderDraft(customer: key.customer, reference: key.reference, lines: entered[key] ?? [])
            else {
                // Lines given twice: reported on their own; the order differs all the same.
                problems.add(line: line, field: "reference") {
                    "order \(key.customer)/\(Echo.value(key.reference)) was already recorded as order \(id) with different content"
                }
                continue
            }
            let conflict = OrderConflict(
                orderID: id, customer: key.customer, reference: key.reference, differences: order.differences(from: draft))
            problems.add(line: line, field: "reference") { conflict.description }
        }
    }
}

import Database
import Domain
import Foundation

extension OrderStore {
    /// Imports orders from CSV (`customer,reference,line,sku,quantity,week[,unit_price]`),
    /// all or nothing.
    ///
    /// The file streams into a staging table with COPY and is checked
    /// set-wise: unknown customers and SKUs, quantities that are not whole
    /// lots, malformed weeks and prices, duplicate lines, and orders already
    /// recorded with other lines are all reported with their file line. Only
    /// a clean file is stored, in this one transaction. Orders already
    /// recorded with the same lines are skipped, so re-importing a file
    /// changes nothing.
    ///
    /// The orders of the file already recorded are taken once, before the
    /// checks, and every other order is inserted. Another session that
    /// stores one of those orders in the meantime makes the insert fail on
    /// the order's key; the import then starts over (at most twice), finds
    /// that order recorded and compares its lines like any other. Only a
    /// regular file can be read again; from a pipe the conflict is reported.
    public func importCSV(path: String) throws -> OrderImportSummary {
        let rereadable = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType == .typeRegular
        var attempt = 1
        while true {
            do {
                return try importOnce(path: path)
            } catch let error as DatabaseError
                where error.sqlState == .uniqueViolation && error.constraint == "orders_customer_reference_key"
                && rereadable && attempt < 3 {
                attempt += 1
            }
        }
    }

    private func importOnce(path: String) throws -> OrderImportSummary {
        try connection.transaction { tx in
            // A million staged rows are sorted and hashed several times: in
            // memory that takes seconds less than in temporary files.
            try tx.executeScript("SET LOCAL work_mem = '128MB'")
            try tx.executeScript("""
                CREATE TEMP TABLE order_import (
                    row_no bigint GENERATED ALWAYS AS IDENTITY,
                    customer text COLLATE "C", reference text COLLATE "C", line text, sku text COLLATE "C",
                    quantity text, week text COLLATE "C", unit_price text
                ) ON COMMIT DROP
                """)
            let base = ["customer", "reference", "line", "sku", "quantity", "week"]
            try CSVFile(path: path, headers: [base, base + ["unit_price"]]).copy(into: "order_import", on: tx)
            // The file's orders already recorded, as of now: the checks compare
            // their lines, and the insert leaves exactly these out.
            try tx.executeScript("""
                CREATE TEMP TABLE order_import_recorded ON COMMIT DROP AS
                SELECT o.id, o.customer_id AS customer, o.reference FROM orders o
                WHERE (o.customer_id, o.reference) IN (SELECT customer, reference FROM order_import)
                """)
            let problems = try tx.execute(Self.importChecks)
            if !problems.isEmpty { throw try CSVFile.failures(problems, path: path) }
            let rows: Int = try tx.queryFirst("SELECT count(*) AS n FROM order_import")!.decode("n")
            let existing: Int = try tx.queryFirst("SELECT count(*) AS n FROM order_import_recorded")!.decode("n")
            let inserted = try tx.queryFirst(
                """
                WITH new_orders AS (
                    INSERT INTO orders (customer_id, reference)
                    SELECT i.customer, i.reference FROM order_import i
                    WHERE NOT EXISTS (SELECT 1 FROM order_import_recorded r WHERE r.customer = i.customer AND r.reference = i.reference)
                    GROUP BY i.customer, i.reference
                    ORDER BY min(i.row_no)  -- ids in file order
                    RETURNING id, customer_id, reference
                ), new_lines AS (
                    INSERT INTO order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency)
                    SELECT n.id, i.line::int, i.sku, p.lot_size, i.quantity::int, i.week,
                           coalesce(nullif(i.unit_price, '')::numeric, p.unit_price), p.currency
                    FROM order_import i
                    JOIN new_orders n ON n.customer_id = i.customer AND n.reference = i.reference
                    JOIN products p ON p.sku = i.sku
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM new_orders) AS orders, (SELECT count(*) FROM new_lines) AS lines
                """)!
            return OrderImportSummary(
                rows: rows, ordersCreated: try inserted.decode("orders"), linesCreated: try inserted.decode("lines"),
                ordersAlreadyRecorded: existing)
        }
    }

    /// Every check of the staged rows, as (line, field, problem, total).
    /// One cheap pass flags the rows with any problem; only those get
    /// their messages written, so a clean million-line file costs little.
    static let importChecks = """
        WITH duplicates AS (
            SELECT customer, reference, line, min(row_no) AS first_row
            FROM order_import GROUP BY customer, reference, line HAVING count(*) > 1
        ), recorded AS (
            -- Orders already stored whose lines differ from the file's.
            SELECT o.customer, o.reference
            FROM order_import_recorded o
            WHERE EXISTS (
                SELECT l.line_no::text, l.sku, l.quantity::text, l.requested_week::text FROM order_lines l WHERE l.order_id = o.id
                EXCEPT
                SELECT f.line, f.sku, f.quantity, f.week FROM order_import f
                WHERE f.customer = o.customer AND f.reference = o.reference
            ) OR EXISTS (
                SELECT f.line, f.sku, f.quantity, f.week FROM order_import f
                WHERE f.customer = o.customer AND f.reference = o.reference
                EXCEPT
                SELECT l.line_no::text, l.sku, l.quantity::text, l.requested_week::text FROM order_lines l WHERE l.order_id = o.id
            )
        ), weeks AS (
            -- A file names few distinct weeks: check each once, not once per row.
            SELECT w.week, is_iso_week(w.week) AS good FROM (SELECT DISTINCT week FROM order_import) w
        ), staged AS (
            SELECT i.*,
                   coalesce(w.good, false) AS good_week,
                   c.id IS NOT NULL AS known_customer,
                   p.lot_size,
                   -- CASE, not AND: PostgreSQL does not promise to test the pattern before the cast.
                   -- translate() finds non-digits far faster than a regular expression.
                   CASE WHEN length(i.quantity) BETWEEN 1 AND 10 AND translate(i.quantity, '0123456789', '') = ''
                        THEN i.quantity::bigint BETWEEN 1 AND 1000000000 ELSE false END AS good_quantity,
                   CASE WHEN length(i.line) BETWEEN 1 AND 6 AND translate(i.line, '0123456789', '') = ''
                        THEN i.line::int >= 1 ELSE false END AS good_line,
                   d.first_row IS NOT NULL AND d.first_row <> i.row_no AS repeated,
                   r.customer IS NOT NULL AS conflicting
            FROM order_import i
            LEFT JOIN customers c ON c.id = i.customer
            LEFT JOIN products p ON p.sku = i.sku
            LEFT JOIN duplicates d ON d.customer = i.customer AND d.reference = i.reference AND d.line = i.line
            LEFT JOIN recorded r ON r.customer = i.customer AND r.reference = i.reference
            LEFT JOIN weeks w ON w.week = i.week
        ), flagged AS (
            SELECT * FROM staged s
            WHERE NOT s.known_customer OR s.lot_size IS NULL OR NOT s.good_quantity OR NOT s.good_line
               OR s.repeated OR s.conflicting
               OR s.reference IS NULL OR length(btrim(s.reference)) NOT BETWEEN 1 AND 100
               OR NOT s.good_week
               OR (s.unit_price IS NOT NULL AND s.unit_price <> '' AND s.unit_price !~ '^[0-9]{1,14}(\\.[0-9]{1,2})?$')
               OR CASE WHEN s.good_quantity AND s.lot_size IS NOT NULL THEN s.quantity::int % s.lot_size <> 0 ELSE false END
        ), problems AS (
            SELECT s.row_no, unnest(ARRAY[
                CASE WHEN NOT s.known_customer
                     THEN 'customer' || chr(9) || format('%s is not a known customer', coalesce(s.customer, '(empty)')) END,
                CASE WHEN s.reference IS NULL OR length(btrim(s.reference)) NOT BETWEEN 1 AND 100
                     THEN 'reference' || chr(9) || 'must be 1 to 100 characters' END,
                CASE WHEN NOT s.good_line
                     THEN 'line' || chr(9) || format('must be a line number from 1 (got "%s")', coalesce(s.line, '')) END,
                CASE WHEN s.lot_size IS NULL
                     THEN 'sku' || chr(9) || format('%s is not a known product', coalesce(s.sku, '(empty)')) END,
                CASE WHEN NOT s.good_quantity
                     THEN 'quantity' || chr(9) || format('must be a whole number of chips from 1 to 1000000000 (got "%s")', coalesce(s.quantity, ''))
                     WHEN s.lot_size IS NOT NULL AND s.quantity::int % s.lot_size <> 0
                     THEN 'quantity' || chr(9) || format('%s is not a whole number of lots of %s (lot size %s)', s.quantity, s.sku, s.lot_size) END,
                CASE WHEN NOT s.good_week
                     THEN 'week' || chr(9) || format('must be an ISO week like 2026-W49 (got "%s")', coalesce(s.week, '')) END,
                CASE WHEN s.unit_price IS NOT NULL AND s.unit_price <> '' AND s.unit_price !~ '^[0-9]{1,14}(\\.[0-9]{1,2})?$'
                     THEN 'unit_price' || chr(9) || format('must be a price like 9800.00 with at most 2 decimals (got "%s")', s.unit_price) END,
                CASE WHEN s.repeated
                     THEN 'line' || chr(9) || format('order %s/%s line %s appears more than once in the file', s.customer, s.reference, s.line) END,
                CASE WHEN s.conflicting
                     THEN 'reference' || chr(9) || format('order %s/%s was already recorded with different lines', s.customer, s.reference) END
            ]) AS problem
            FROM flagged s
        )
        SELECT row_no + 1 AS line, split_part(problem, chr(9), 1) AS field, split_part(problem, chr(9), 2) AS problem,
               count(*) OVER () AS total
        FROM problems WHERE problem IS NOT NULL
        ORDER BY row_no, field
        LIMIT 100
        """
}

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
    public func importCSV(path: String) throws -> OrderImportSummary {
        try connection.transaction { tx in
            try tx.executeScript("""
                CREATE TEMP TABLE order_import (
                    row_no bigint GENERATED ALWAYS AS IDENTITY,
                    customer text, reference text, line text, sku text, quantity text, week text, unit_price text
                ) ON COMMIT DROP
                """)
            let base = ["customer", "reference", "line", "sku", "quantity", "week"]
            try CSVFile(path: path, headers: [base, base + ["unit_price"]]).copy(into: "order_import", on: tx)
            let problems = try tx.execute(Self.importChecks)
            if !problems.isEmpty { throw try CSVFile.failures(problems, path: path) }
            let rows: Int = try tx.queryFirst("SELECT count(*) AS n FROM order_import")!.decode("n")
            let existing: Int = try tx.queryFirst(
                """
                SELECT count(DISTINCT o.id) AS n FROM order_import i
                JOIN orders o ON o.customer_id = i.customer AND o.reference = i.reference
                """)!.decode("n")
            let inserted = try tx.queryFirst(
                """
                WITH new_orders AS (
                    INSERT INTO orders (customer_id, reference)
                    SELECT DISTINCT i.customer, i.reference FROM order_import i
                    WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = i.customer AND o.reference = i.reference)
                    ORDER BY 1, 2
                    ON CONFLICT (customer_id, reference) DO NOTHING
                    RETURNING id, customer_id, reference
                ), new_lines AS (
                    INSERT INTO order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency)
                    SELECT n.id, i.line::int, i.sku, p.lot_size, i.quantity::int, i.week,
                           coalesce(nullif(i.unit_price, '')::numeric, p.unit_price), p.currency
                    FROM order_import i
                    JOIN new_orders n ON n.customer_id = i.customer AND n.reference = i.reference
                    JOIN products p ON p.sku = i.sku
                    ORDER BY n.id, i.line::int
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
    static let importChecks = """
        WITH staged AS (
            SELECT i.*,
                   c.id IS NOT NULL AS known_customer,
                   p.lot_size,
                   -- CASE, not AND: PostgreSQL does not promise to test the pattern before the cast.
                   CASE WHEN i.quantity ~ '^[0-9]{1,10}$' THEN i.quantity::bigint BETWEEN 1 AND 1000000000 ELSE false END
                       AS good_quantity,
                   CASE WHEN i.line ~ '^[0-9]{1,6}$' THEN i.line::int >= 1 ELSE false END AS good_line,
                   count(*) OVER (PARTITION BY i.customer, i.reference, i.line) AS copies,
                   row_number() OVER (PARTITION BY i.customer, i.reference, i.line ORDER BY i.row_no) AS nth
            FROM order_import i
            LEFT JOIN customers c ON c.id = i.customer
            LEFT JOIN products p ON p.sku = i.sku
        ), recorded AS (
            -- Orders already stored whose lines differ from the file's.
            SELECT DISTINCT s.customer, s.reference
            FROM (SELECT DISTINCT customer, reference FROM staged) s
            JOIN orders o ON o.customer_id = s.customer AND o.reference = s.reference
            WHERE EXISTS (
                SELECT l.line_no, l.sku, l.quantity, l.requested_week::text FROM order_lines l WHERE l.order_id = o.id
                EXCEPT
                SELECT f.line::int, f.sku, f.quantity::int, f.week FROM staged f
                WHERE f.customer = s.customer AND f.reference = s.reference AND f.good_line AND f.good_quantity
            ) OR EXISTS (
                SELECT f.line::int, f.sku, f.quantity::int, f.week FROM staged f
                WHERE f.customer = s.customer AND f.reference = s.reference AND f.good_line AND f.good_quantity
                EXCEPT
                SELECT l.line_no, l.sku, l.quantity, l.requested_week::text FROM order_lines l WHERE l.order_id = o.id
            )
        )
        SELECT row_no + 1 AS line, field, problem, count(*) OVER () AS total FROM (
            SELECT row_no, 'customer' AS field, format('%s is not a known customer', coalesce(customer, '(empty)')) AS problem
            FROM staged WHERE NOT known_customer
            UNION ALL
            SELECT row_no, 'reference', 'must be 1 to 100 characters'
            FROM staged WHERE reference IS NULL OR length(btrim(reference)) NOT BETWEEN 1 AND 100
            UNION ALL
            SELECT row_no, 'line', format('must be a line number from 1 (got "%s")', coalesce(line, ''))
            FROM staged WHERE NOT coalesce(good_line, false)
            UNION ALL
            SELECT row_no, 'sku', format('%s is not a known product', coalesce(sku, '(empty)'))
            FROM staged WHERE lot_size IS NULL
            UNION ALL
            SELECT row_no, 'quantity', format('must be a whole number of chips from 1 to 1000000000 (got "%s")', coalesce(quantity, ''))
            FROM staged WHERE NOT coalesce(good_quantity, false)
            UNION ALL
            SELECT row_no, 'quantity', format('%s is not a whole number of lots of %s (lot size %s)', quantity, sku, lot_size)
            FROM staged WHERE CASE WHEN good_quantity AND lot_size IS NOT NULL THEN quantity::int % lot_size <> 0 ELSE false END
            UNION ALL
            SELECT row_no, 'week', format('must be an ISO week like 2026-W49 (got "%s")', coalesce(week, ''))
            FROM staged WHERE week IS NULL OR NOT is_iso_week(week)
            UNION ALL
            SELECT row_no, 'unit_price', format('must be a price like 9800.00 with at most 2 decimals (got "%s")', unit_price)
            FROM staged WHERE unit_price IS NOT NULL AND unit_price <> ''
                          AND (unit_price !~ '^[0-9]{1,14}(\\.[0-9]{1,2})?$')
            UNION ALL
            SELECT row_no, 'line', format('order %s/%s line %s appears more than once in the file', customer, reference, line)
            FROM staged WHERE copies > 1 AND nth > 1
            UNION ALL
            SELECT s.row_no, 'reference', format('order %s/%s was already recorded with different lines', s.customer, s.reference)
            FROM staged s JOIN recorded r ON r.customer = s.customer AND r.reference = s.reference
        ) p
        ORDER BY row_no, field
        LIMIT 100
        """
}

import Database
import Domain
import Foundation

/// Planned output per SKU and ISO week.
public struct SupplyStore {
    let connection: Connection

    public init(_ connection: Connection) { self.connection = connection }

    /// Sets (or replaces) one week's planned output.
    ///
    /// - Throws: `NotFound` for an unknown SKU.
    public func set(_ entry: SupplyEntry) throws {
        do {
            try connection.execute(
                """
                INSERT INTO supply_capacity (sku, week, quantity) VALUES ($1, $2, $3)
                ON CONFLICT (sku, week) DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = now()
                """,
                [entry.sku, entry.week.description, entry.quantity])
        } catch let error as DatabaseError where error.sqlState == .foreignKeyViolation {
            throw NotFound("product \(entry.sku)")
        }
    }

    /// Planned output, by SKU and week, optionally filtered.
    public func list(sku: String? = nil, from: ISOWeek? = nil, to: ISOWeek? = nil) throws -> [SupplyEntry] {
        try connection.execute(
            """
            SELECT sku, week::text AS week, quantity FROM supply_capacity
            WHERE ($1::text IS NULL OR sku = $1) AND ($2::text IS NULL OR week >= $2) AND ($3::text IS NULL OR week <= $3)
            ORDER BY sku, week
            """, [sku, from?.description, to?.description]
        ).map { row in
            try SupplyEntry(sku: row.decode("sku"), week: row.decode("week"), quantity: row.decode("quantity"))
        }
    }

    /// Imports `sku,week,quantity` rows, all or nothing: every row is checked
    /// first and every bad one reported with its line; only a clean file is
    /// stored, in one transaction. Rows replace existing weeks.
    ///
    /// - Returns: the number of rows stored.
    public func importCSV(path: String) throws -> Int {
        try connection.transaction { tx in
            try tx.executeScript("""
                CREATE TEMP TABLE supply_import (
                    row_no bigint GENERATED ALWAYS AS IDENTITY, sku text COLLATE "C", week text COLLATE "C", quantity text
                ) ON COMMIT DROP
                """)
            try CSVFile(path: path, headers: [["sku", "week", "quantity"]]).copy(into: "supply_import", on: tx)
            let problems = try tx.execute(
                """
                WITH checked AS (
                    SELECT i.*, p.sku IS NOT NULL AS known,
                           count(*) OVER (PARTITION BY i.sku, i.week) AS copies,
                           row_number() OVER (PARTITION BY i.sku, i.week ORDER BY i.row_no) AS nth
                    FROM supply_import i LEFT JOIN products p ON p.sku = i.sku
                )
                SELECT row_no + 1 AS line, field, problem, count(*) OVER () AS total FROM (
                    SELECT row_no, 'sku' AS field, format('%s is not a known product', coalesce(sku, '(empty)')) AS problem
                    FROM checked WHERE NOT known
                    UNION ALL
                    SELECT row_no, 'week', format('must be an ISO week like 2026-W49 (got "%s")', coalesce(week, ''))
                    FROM checked WHERE week IS NULL OR NOT is_iso_week(week)
                    UNION ALL
                    SELECT row_no, 'quantity', format('must be a whole number of chips from 0 to 1000000000 (got "%s")', coalesce(quantity, ''))
                    FROM checked
                    WHERE CASE WHEN quantity ~ '^[0-9]{1,10}$' THEN quantity::bigint > 1000000000 ELSE true END
                    UNION ALL
                    SELECT row_no, 'sku,week', format('%s %s appears more than once in the file', sku, week)
                    FROM checked WHERE copies > 1 AND nth > 1
                ) p ORDER BY row_no, field LIMIT 100
                """)
            if !problems.isEmpty {
                throw try CSVFile.failures(problems, path: path)
            }
            return try tx.execute(
                """
                INSERT INTO supply_capacity (sku, week, quantity)
                SELECT sku, week, quantity::int FROM supply_import ORDER BY sku, week
                ON CONFLICT (sku, week) DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = now()
                """
            ).affectedRows
        }
    }
}

import Database
import Domain
import Foundation
import Values

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
            throw try NotFound.product(entry.sku, on: connection)
        }
    }

    /// Planned output, by SKU and week, optionally filtered.
    ///
    /// - Throws: `NotFound` when `sku` names no product.
    public func list(sku: String? = nil, from: Period? = nil, to: Period? = nil) throws -> [SupplyEntry] {
        try NotFound.requireKnown(sku: sku, on: connection)
        return try connection.execute(
            """
            SELECT sku, week::text AS week, quantity FROM supply_capacity
            WHERE ($1::text IS NULL OR sku = $1) AND ($2::text IS NULL OR week >= $2) AND ($3::text IS NULL OR week <= $3)
            ORDER BY sku, week
            """, [sku, from?.description, to?.description]
        ).map { row in
            try SupplyEntry(storedSKU: row.decode("sku"), week: row.decode("week"), quantity: row.decode("quantity"))
        }
    }

    /// Imports `sku,week,quantity` rows, all or nothing: every row is read
    /// with the same rules as `supply set` while the file streams, the good
    /// ones are staged with COPY, and a week given twice is found set-wise.
    /// Every problem is reported with its line (the first
    /// `ImportProblems.limit`, and how many in all); only a clean file is
    /// stored, in one transaction. Rows replace existing weeks.
    ///
    /// - Returns: the number of rows stored.
    public func importCSV(path: String, progress: ((ImportProgress) -> Void)? = nil) throws -> Int {
        try connection.transaction { tx in
            try tx.executeScript("""
                CREATE TEMP TABLE supply_import (
                    file_line integer NOT NULL, sku text COLLATE "C" NOT NULL, week text COLLATE "C" NOT NULL, quantity integer NOT NULL
                ) ON COMMIT DROP
                """)
            let skus = try tx.execute("SELECT sku FROM products ORDER BY sku").map { try $0.decode("sku", as: String.self) }
            let known = Set(skus)
            var problems = ImportProblems(path: path)
            try tx.copyIn("COPY supply_import (file_line, sku, week, quantity) FROM STDIN") { writer in
                try CSVFile(path: path, headers: [["sku", "week", "quantity"]]).read(problems: &problems) { line, fields, problems in
                    progress?(.read(rows: line - 1))
                    let entry: SupplyEntry
                    do {
                        entry = try SupplyEntry(sku: fields[0], week: fields[1], quantity: fields[2], record: problems.record(line))
                    } catch let failure as ValidationFailure {
                        problems.add(line: line, failure)
                        return
                    }
                    guard known.contains(entry.sku) else {
                        problems.add(line: line, field: "sku") {
                            "\(Echo.value(entry.sku)) is not a known product" + Suggestion.hint(for: entry.sku, among: skus)
                        }
                        return
                    }
                    writer.field(line)
                    writer.field(entry.sku)
                    writer.field(entry.week.description)
                    writer.field(entry.quantity)
                    try writer.endRow()
                }
            }
            progress?(.storing)
            let repeated = try tx.execute(
                """
                SELECT file_line, sku, week, first_line, count(*) OVER () AS total FROM (
                    SELECT file_line, sku, week, min(file_line) OVER (PARTITION BY sku, week) AS first_line FROM supply_import
                ) s WHERE file_line <> first_line ORDER BY file_line LIMIT $1
                """, [ImportProblems.limit])
            for row in repeated {
                let sku: String = try row.decode("sku"), week: String = try row.decode("week"), first: Int = try row.decode("first_line")
                problems.add(line: try row.decode("file_line"), field: "sku,week") {
                    "\(sku) \(week) appears more than once in the file (first on line \(first))"
                }
            }
            problems.addUndescribed(try repeated.first.map { try $0.decode("total", as: Int.self) - repeated.count } ?? 0)
            if !problems.isEmpty { throw problems.failures }
            return try tx.execute(
                """
                INSERT INTO supply_capacity (sku, week, quantity)
                SELECT sku, week, quantity FROM supply_import ORDER BY sku, week
                ON CONFLICT (sku, week) DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = now()
                """
            ).affectedRows
        }
    }
}

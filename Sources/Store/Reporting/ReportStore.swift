import Database
import Foundation

/// Reads reports through the `report_*` views only, so the reporting role
/// (SELECT on the views, nothing else) can run every one of them.
public struct ReportStore {
    let connection: Connection

    public init(_ connection: Connection) { self.connection = connection }

    /// The rows of `report` for `filter`; per-run reports default to the current plan.
    ///
    /// - Throws: `NotFound` when no run exists yet, or the filter names a
    ///   run, customer or SKU that does not exist.
    public func read(_ report: Report, filter: ReportFilter) throws -> ReportTable {
        try requireNamed(filter)
        let definition = report.definition
        var run: Int?
        if definition.runScoped {
            if let named = filter.run {
                run = named
            } else {
                run = try connection.queryFirst("SELECT current_run_id() AS run")?.decodeIfPresent("run")
            }
            guard run != nil else { throw NotFound.noPlan }
        }
        // The view, columns and order come from the fixed definitions above;
        // every value a user gives travels as a parameter.
        var conditions: [String] = []
        var parameters: [(any SQLParameter)?] = []
        func condition(_ column: String?, _ op: String, _ value: (any SQLParameter)?) {
            guard let column, let value else { return }
            parameters.append(value)
            conditions.append("\(column) \(op) $\(parameters.count)")
        }
        if definition.runScoped { condition("run_id", "=", run) }
        condition(definition.weekColumn, ">=", filter.from)
        condition(definition.weekColumn, "<=", filter.to)
        condition(definition.customerColumn, "=", filter.customer)
        condition(definition.skuColumn, "=", filter.sku)
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT \(definition.columns.joined(separator: ", ")) FROM \(definition.view)\(whereClause) ORDER BY \(definition.orderBy)"
        let result = try connection.execute(sql, parameters)
        var rows: [[ReportValue]] = []
        rows.reserveCapacity(result.count)
        for row in result {
            rows.append(try definition.columns.indices.map { try Self.value(row, at: $0, type: result.columnType(at: $0)) })
        }
        return ReportTable(report: report, run: run, columns: definition.columns, rows: rows)
    }

    /// Backlog over time: (run, as-of week, backlog chips) of every run, oldest first.
    public func backlogHistory() throws -> [(run: Int, asOf: String, chips: Int)] {
        try connection.execute("SELECT run_id, as_of, backlog_chips FROM report_backlog_history ORDER BY run_id").map {
            (try $0.decode("run_id", as: Int.self), try $0.decode("as_of", as: String.self), try $0.decode("backlog_chips", as: Int.self))
        }
    }

    static func value(_ row: Row, at position: Int, type: PostgresType) throws -> ReportValue {
        guard let text = row.text(at: position) else { return .null }
        if type.isInteger, let value = Int(text) { return .int(value) }
        if type == .numeric { return .number(text) }  // exact, and printed as it came
        if type == .bool { return .bool(text == "t") }
        if type == .timestamptz, let date = Date(postgresText: text, type: type) { return .time(date) }
        return .text(text)
    }
}

/// A stored value this version cannot take as it is: the row breaks a rule
/// the schema's constraints keep (so it was written behind them, by the
/// database owner or a newer version), and reading it on would silently
/// replace it with a default. It names the table, the row and the column, so
/// the row can be found and repaired; nothing is guessed in its place.
public struct StoreInconsistency: Error, CustomStringConvertible, Sendable, Equatable {
    /// The table (or view) the value was read from, e.g. `allocation_policies`.
    public let table: String
    /// The row, as its key reads, e.g. `id 7` or `customer acme`.
    public let row: String
    /// The column the value is in, e.g. `internal_floor`.
    public let column: String
    /// The stored value, as PostgreSQL prints it.
    public let value: String
    /// What is wrong with it, e.g. `is not a method this version knows`.
    public let problem: String

    public init(table: String, row: String, column: String, value: String, problem: String) {
        self.table = table
        self.row = row
        self.column = column
        self.value = value
        self.problem = problem
    }

    public var description: String {
        "stored data is inconsistent: \(table) \(row), column \(column): \"\(value)\" \(problem); repair the row, or run a chipsales that knows it"
    }
}

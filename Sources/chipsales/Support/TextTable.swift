/// Renders rows as aligned columns for people (the `table` format).
struct TextTable {
    let headers: [String]
    var rows: [[String]] = []
    /// Columns whose values are right-aligned (numbers).
    var numericColumns: Set<Int> = []

    init(headers: [String], numericColumns: Set<Int> = []) {
        self.headers = headers
        self.numericColumns = numericColumns
    }

    mutating func append(_ row: [String]) { rows.append(row) }

    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (column, value) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], value.count)
            }
        }
        func line(_ values: [String]) -> String {
            values.enumerated().map { column, value in
                let pad = String(repeating: " ", count: max(0, widths[column] - value.count))
                return numericColumns.contains(column) ? pad + value : value + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

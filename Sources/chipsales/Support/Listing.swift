import ArgumentParser
import Domain
import Foundation

/// How a listing or `show` prints.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case table, csv, json
}

/// `--format table|csv|json`, shared by every listing and `show`.
struct FormatOption: ParsableArguments {
    @Option(name: .long, help: "Output format: table, csv or json.")
    var format: OutputFormat = .table
}

/// One value of a listing.
enum Cell {
    case text(String)
    case int(Int)
    case money(Decimal)
    case decimal(Decimal)
    /// An exact number already in text form (from PostgreSQL's numeric output).
    case number(String)
    case bool(Bool)
    case null

    var display: String {
        switch self {
        case .text(let text): TextRules.printable(text)
        case .int(let value): String(value)
        case .money(let value): value.fixed(2)
        case .decimal(let value): value.description
        case .number(let text): text
        case .bool(let value): value ? "yes" : "no"
        case .null: "-"
        }
    }

    /// The cell as one CSV field (see `CSVField`).
    var csv: String {
        switch self {
        case .null: ""
        case .bool(let value): value ? "true" : "false"
        case .text(let text): CSVField.text(text)
        default: CSVField.plain(display)
        }
    }

    var json: JSONOutput {
        switch self {
        case .text(let text): .string(text)
        case .int(let value): .int(value)
        case .money(let value): .string(value.fixed(2))
        case .decimal(let value): .decimal(value)
        case .number(let text): .string(text)
        case .bool(let value): .bool(value)
        case .null: .null
        }
    }

    var isNumeric: Bool {
        switch self {
        case .int, .money, .decimal, .number: true
        default: false
        }
    }
}

/// Rows with named columns, printable as a table, CSV or a JSON array of objects.
struct Listing {
    /// Column names: snake_case, used as CSV headers and JSON keys; the table shows them upper-cased.
    let columns: [String]
    var rows: [[Cell]] = []

    init(columns: [String]) { self.columns = columns }

    mutating func append(_ row: [Cell]) { rows.append(row) }

    var jsonObjects: [JSONOutput] {
        rows.map { row in .object(zip(columns, row).map { ($0, $1.json) }) }
    }

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .table:
            let numeric = Set(columns.indices.filter { index in rows.contains { $0[index].isNumeric } })
            var table = TextTable(headers: columns.map { $0.replacingOccurrences(of: "_", with: " ").uppercased() }, numericColumns: numeric)
            for row in rows { table.append(row.map(\.display)) }
            return table.render()
        case .csv:
            return ([columns.map(CSVField.plain)] + rows.map { $0.map(\.csv) })
                .map { $0.joined(separator: ",") }.joined(separator: "\n")
        case .json:
            return JSONOutput.array(jsonObjects).render()
        }
    }
}

extension Decimal {
    /// The value with exactly `places` decimals (`9800` → `9800.00`), rounded half up.
    func fixed(_ places: Int) -> String {
        var value = self, rounded = Decimal()
        NSDecimalRound(&rounded, &value, places, .plain)
        var text = rounded.description
        guard places > 0 else { return text }
        if let dot = text.firstIndex(of: ".") {
            let decimals = text.distance(from: dot, to: text.endIndex) - 1
            text += String(repeating: "0", count: max(0, places - decimals))
        } else {
            text += "." + String(repeating: "0", count: places)
        }
        return text
    }
}

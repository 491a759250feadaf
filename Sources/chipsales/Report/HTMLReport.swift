import Foundation
import Store
import Values

/// One self-contained, well-formed (XHTML), static page: the report's charts
/// and its table, with inline CSS and SVG, no script, no network resources.
struct HTMLReport {
    let table: ReportTable
    let generatedAt: Date
    /// Backlog chips per run, for the backlog report's trend chart.
    var backlogHistory: [(run: Int, asOf: String, chips: Int)] = []
    /// The internal floor share the report's run applied, drawn on the internal-share chart.
    var internalFloor: Decimal?

    func column(_ name: String) -> Int? { table.columns.firstIndex(of: name) }

    func number(_ value: ReportValue) -> Double {
        switch value {
        case .int(let v): Double(v)
        case .number(let text): Double(text) ?? 0  // for drawing only
        default: 0
        }
    }

    func text(_ value: ReportValue) -> String { ReportCommand.cell(value).display }

    /// The values of a column in `rows`, for drawing.
    func numbers(_ rows: [[ReportValue]], _ name: String) -> [Double] {
        guard let index = column(name) else { return [] }
        return rows.map { number($0[index]) }
    }

    /// Rows grouped by a text column, keeping first-seen order.
    func grouped(by name: String) -> [(String, [[ReportValue]])] {
        guard let index = column(name) else { return [("", table.rows)] }
        var order: [String] = []
        var groups: [String: [[ReportValue]]] = [:]
        for row in table.rows {
            let key = text(row[index])
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(row)
        }
        return order.compactMap { key in groups[key].map { (key, $0) } }
    }

    /// Supply, and the stock available (carry + supply) beside it: a week
    /// served from carried stock is not over-allocated.
    func supplyLines(_ rows: [[ReportValue]]) -> [SVGChart.Line] {
        [
            .init(name: "supply", color: "#c00000", values: numbers(rows, "supply")),
            .init(name: "available (carry + supply)", color: "#7030a0", values: numbers(rows, "available"), dashed: true),
        ]
    }

    var charts: [SVGChart.Figure] {
        switch table.report {
        case .internalShare:
            return grouped(by: "sku").map { sku, rows in
                var lines = supplyLines(rows)
                if let internalFloor, internalFloor > 0 {
                    // The floor reserves that share of each week's available lots.
                    let share = NSDecimalNumber(decimal: internalFloor).doubleValue
                    lines.append(.init(
                        name: "internal floor (\(Percent.text(share: internalFloor)) of available)", color: "#000000",
                        values: numbers(rows, "available").map { $0 * share }, dashed: true))
                }
                return SVGChart.bars(
                    title: "\(sku): internal vs outside chips per week",
                    categories: rows.map { text($0[column("week")!]) },
                    stacked: [
                        .init(name: "internal", color: "#1f4e79", values: numbers(rows, "internal_chips")),
                        .init(name: "outside", color: "#9dc3e6", values: numbers(rows, "outside_chips")),
                    ],
                    lines: lines)
            }
        case .capacity:
            return grouped(by: "sku").map { sku, rows in
                SVGChart.bars(
                    title: "\(sku): allocated vs supply per week",
                    categories: rows.map { text($0[column("week")!]) },
                    stacked: [.init(name: "allocated", color: "#548235", values: numbers(rows, "allocated"))],
                    lines: supplyLines(rows))
            }
        case .backlog:
            let ages = ["not yet due", "0-3 weeks late", "4-12 weeks late", "13+ weeks late"]
            var chips: [String: (open: Double, held: Double)] = [:]
            for row in table.rows {
                let age = text(row[column("age")!])
                let value = number(row[column("chips")!])
                if row[column("held")!] == .bool(true) { chips[age, default: (0, 0)].held += value } else { chips[age, default: (0, 0)].open += value }
            }
            var charts = [SVGChart.bars(
                title: "Backlog chips by age of the requested week",
                categories: ages,
                stacked: [
                    .init(name: "backlog", color: "#bf9000", values: ages.map { chips[$0]?.open ?? 0 }),
                    .init(name: "held", color: "#7f7f7f", values: ages.map { chips[$0]?.held ?? 0 }),
                ])]
            if !backlogHistory.isEmpty {
                // Runs, not only weeks: two runs can share an as-of week.
                charts.append(SVGChart.bars(
                    title: "Backlog over time: chips left unplaced by each run",
                    categories: backlogHistory.map { "run \($0.run) (\($0.asOf))" },
                    stacked: [.init(name: "backlog", color: "#bf9000", values: backlogHistory.map { Double($0.chips) })]))
            }
            return charts
        case .orderBook:
            var served: [String: Double] = [:]
            var wanted: [String: Double] = [:]
            for row in table.rows {
                let customer = text(row[column("customer_id")!])
                served[customer, default: 0] += number(row[column("shipped")!]) + number(row[column("allocated")!])
                wanted[customer, default: 0] += number(row[column("ordered")!]) - number(row[column("cancelled")!])
            }
            let customers = wanted.keys.sorted()
            let rates = customers.map { customer -> Double in
                let want = wanted[customer] ?? 0
                return want > 0 ? min(100, 100 * (served[customer] ?? 0) / want) : 0
            }
            return [SVGChart.horizontalBars(
                title: "Fill rate per customer (shipped + allocated, % of ordered - cancelled)",
                labels: customers, values: rates, maximum: 100, colors: customers.map { _ in "#2e75b6" },
                text: { String(format: "%.1f%%", $0) })]
        case .runChange:
            let customers = table.rows.map { text($0[column("customer_id")!]) }
            let changes = numbers(table.rows, "change")
            return table.rows.isEmpty ? [] : [SVGChart.horizontalBars(
                title: "Chips gained (+) or lost (-) per customer, by size of change",
                labels: customers, values: changes, maximum: changes.map(abs).max() ?? 1,
                colors: changes.map { $0 < 0 ? "#c55a11" : "#548235" },
                text: { ($0 > 0 ? "+" : "") + SVGChart.count($0) + " chips" })]
        case .allocatedValue, .inventory:
            return []
        }
    }

    /// A column name as a table header (`fill_rate_pct` → `Fill rate %`).
    static func heading(_ column: String) -> String {
        var words = column.split(separator: "_").map(String.init)
        if words.count > 1, words.last == "id" { words.removeLast() }
        let text = words.map { word -> String in
            switch word {
            case "pct": "%"
            case "sku": "SKU"
            default: word
            }
        }.joined(separator: " ")
        return text.prefix(1).uppercased() + text.dropFirst()
    }

    func render() -> String {
        let escape = SVGChart.escape
        var page = """
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="utf-8"/>
            <title>\(escape(table.report.title))</title>
            <style>
            body { font-family: sans-serif; margin: 24px; color: #222; }
            h1 { font-size: 20px; } p.meta { color: #666; font-size: 12px; }
            table { border-collapse: collapse; font-size: 12px; margin-top: 16px; }
            th, td { border: 1px solid #ccc; padding: 3px 8px; } td { white-space: nowrap; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            th { background: #f2f2f2; } svg.chart { display: block; margin: 12px 0; max-width: 100%; height: auto; }
            </style>
            </head>
            <body>
            <h1>\(escape(table.report.title))</h1>
            <p class="meta">\(table.run.map { "Run \($0). " } ?? "")\(table.rows.count) rows. Generated \(escape(Timestamp(generatedAt).wholeSeconds.text)) by chipsales.</p>

            """
        for chart in charts {
            page += "<h2 style=\"font-size:15px\">\(escape(chart.title))</h2>\n" + chart.svg + "\n"
        }
        page += "<table>\n<thead><tr>"
            + table.columns.map { "<th title=\"\(escape($0))\">\(escape(Self.heading($0)))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            page += "<tr>" + row.map { value -> String in
                let cell = ReportCommand.cell(value)
                return cell.isNumeric ? "<td class=\"n\">\(escape(cell.display))</td>" : "<td>\(escape(cell.display))</td>"
            }.joined() + "</tr>\n"
        }
        page += "</tbody>\n</table>\n</body>\n</html>"
        return page
    }
}

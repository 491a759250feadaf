import Foundation
import Store

/// One self-contained, well-formed (XHTML) page: the report's charts and its
/// table, with inline CSS and SVG, no network resources.
struct HTMLReport {
    let table: ReportTable
    let generatedAt: Date
    /// Backlog chips per run (as-of week), for the backlog report's trend chart.
    var backlogHistory: [(asOf: String, chips: Int)] = []

    func column(_ name: String) -> Int? { table.columns.firstIndex(of: name) }

    func number(_ value: ReportValue) -> Double {
        switch value {
        case .int(let v): Double(v)
        case .number(let text): Double(text) ?? 0  // for drawing only
        default: 0
        }
    }

    func text(_ value: ReportValue) -> String { ReportCommand.cell(value).display }

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
        return order.map { ($0, groups[$0]!) }
    }

    var charts: [String] {
        switch table.report {
        case .internalShare:
            return grouped(by: "sku").map { sku, rows in
                SVGChart.bars(
                    title: "\(sku): internal vs outside chips per week",
                    categories: rows.map { text($0[column("week")!]) },
                    stacked: [
                        .init(name: "internal", color: "#1f4e79", values: rows.map { number($0[column("internal_chips")!]) }),
                        .init(name: "outside", color: "#9dc3e6", values: rows.map { number($0[column("outside_chips")!]) }),
                    ],
                    line: .init(name: "supply", color: "#c00000", values: rows.map { number($0[column("supply")!]) }))
            }
        case .capacity:
            return grouped(by: "sku").map { sku, rows in
                SVGChart.bars(
                    title: "\(sku): allocated vs supply per week",
                    categories: rows.map { text($0[column("week")!]) },
                    stacked: [.init(name: "allocated", color: "#548235", values: rows.map { number($0[column("allocated")!]) })],
                    line: .init(name: "supply", color: "#c00000", values: rows.map { number($0[column("supply")!]) }))
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
                charts.append(SVGChart.bars(
                    title: "Backlog over time: chips left unplaced by each run",
                    categories: backlogHistory.map(\.asOf),
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
            return [SVGChart.horizontalBars(
                title: "Fill rate per customer (shipped + allocated, % of ordered - cancelled)",
                labels: customers,
                values: customers.map { wanted[$0]! > 0 ? min(100, 100 * served[$0]! / wanted[$0]!) : 0 },
                maximum: 100, unit: "%", color: "#2e75b6")]
        case .runChange:
            let customers = table.rows.map { text($0[column("customer_id")!]) }
            return table.rows.isEmpty ? [] : [SVGChart.horizontalBars(
                title: "Chips gained (+) or lost (-) per customer, by size of change",
                labels: customers.map { $0 },
                values: table.rows.map { abs(number($0[column("change")!])) },
                maximum: table.rows.map { abs(number($0[column("change")!])) }.max() ?? 1, unit: " chips", color: "#7f6000")]
        case .allocatedValue, .inventory:
            return []
        }
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
            th, td { border: 1px solid #ccc; padding: 3px 8px; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
            th { background: #f2f2f2; } svg.chart { display: block; margin: 12px 0; max-width: 100%; height: auto; }
            </style>
            </head>
            <body>
            <h1>\(escape(table.report.title))</h1>
            <p class="meta">\(table.run.map { "Run \($0). " } ?? "")\(table.rows.count) rows. Generated \(escape(Timestamp.format(generatedAt))) by chipsales.</p>

            """
        for chart in charts {
            // The chart's own title, shown above it.
            if let start = chart.range(of: "<title>"), let end = chart.range(of: "</title>"), start.upperBound < end.lowerBound {
                page += "<h2 style=\"font-size:15px\">\(chart[start.upperBound..<end.lowerBound])</h2>\n"
            }
            page += chart + "\n"
        }
        page += "<table>\n<thead><tr>" + table.columns.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            page += "<tr>" + row.map { value -> String in
                let cell = ReportCommand.cell(value)
                return cell.isNumeric ? "<td class=\"n\">\(escape(cell.display))</td>" : "<td>\(escape(cell.display))</td>"
            }.joined() + "</tr>\n"
        }
        page += "</tbody>\n</table>\n"
        // For automated checks in a real browser: how many chart bars have a drawn size.
        page += """
            <script>
            //<![CDATA[
            window.addEventListener('load', function () {
              var drawn = 0;
              document.querySelectorAll('svg.chart .bar').forEach(function (bar) {
                var box = bar.getBoundingClientRect();
                if (box.width > 0 && box.height > 0) { drawn += 1; }
              });
              document.body.setAttribute('data-bars-drawn', String(drawn));
              document.body.setAttribute('data-charts', String(document.querySelectorAll('svg.chart').length));
            });
            //]]>
            </script>
            </body>
            </html>
            """
        return page
    }
}

import Foundation

/// Small inline SVG charts for the HTML report: no scripts, no fonts or
/// files from elsewhere. Pixel positions are floating point; the figures
/// they draw come from the exact report values.
enum SVGChart {
    struct Series {
        let name: String
        let color: String
        let values: [Double]
    }

    /// Vertical bars per category, stacked when there are several series;
    /// `line` draws a reference line (e.g. supply) over the bars.
    static func bars(title: String, categories: [String], stacked series: [Series], line: Series? = nil) -> String {
        let width = 900.0, height = 320.0, left = 70.0, bottom = 60.0, top = 30.0
        let plotHeight = height - bottom - top
        let totals = categories.indices.map { i in series.reduce(0) { $0 + ($1.values[safe: i] ?? 0) } }
        let maximum = max(1, (totals + (line?.values ?? [])).max() ?? 1)
        let step = (width - left - 20) / Double(max(1, categories.count))
        var svg = header(title: title, width: width, height: height)
        svg += axis(left: left, top: top, plotHeight: plotHeight, width: width, maximum: maximum)
        for (i, category) in categories.enumerated() {
            var y = top + plotHeight
            for s in series {
                let value = s.values[safe: i] ?? 0
                let h = plotHeight * value / maximum
                y -= h
                svg += "<rect class=\"bar\" x=\"\(f(left + Double(i) * step + step * 0.15))\" y=\"\(f(y))\" width=\"\(f(step * 0.7))\" height=\"\(f(h))\" fill=\"\(s.color)\"><title>\(escape(category)) \(escape(s.name)): \(Int(value))</title></rect>"
            }
            if i % max(1, categories.count / 13) == 0 {
                svg += "<text x=\"\(f(left + Double(i) * step + step / 2))\" y=\"\(f(height - bottom + 16))\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-45 \(f(left + Double(i) * step + step / 2)) \(f(height - bottom + 16)))\">\(escape(category))</text>"
            }
        }
        if let line {
            let points = line.values.enumerated().map { i, v in
                "\(f(left + Double(i) * step + step / 2)),\(f(top + plotHeight - plotHeight * v / maximum))"
            }.joined(separator: " ")
            svg += "<polyline class=\"line\" points=\"\(points)\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\"/>"
        }
        svg += legend(series + (line.map { [$0] } ?? []), x: left, y: 14)
        return svg + "</svg>"
    }

    /// Horizontal bars, one per label (e.g. fill rate per customer, 0-100).
    static func horizontalBars(title: String, labels: [String], values: [Double], maximum: Double, unit: String, color: String) -> String {
        let rowHeight = 18.0, left = 160.0, width = 900.0, top = 30.0
        let height = top + rowHeight * Double(labels.count) + 20
        var svg = header(title: title, width: width, height: height)
        for (i, label) in labels.enumerated() {
            let y = top + Double(i) * rowHeight
            let w = (width - left - 80) * min(values[i], maximum) / max(maximum, 1)
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 13))\" font-size=\"11\" text-anchor=\"end\">\(escape(label))</text>"
            svg += "<rect class=\"bar\" x=\"\(f(left))\" y=\"\(f(y + 2))\" width=\"\(f(max(w, 0.5)))\" height=\"\(f(rowHeight - 4))\" fill=\"\(color)\"><title>\(escape(label)): \(String(format: "%.1f", values[i]))\(unit)</title></rect>"
            svg += "<text x=\"\(f(left + w + 4))\" y=\"\(f(y + 13))\" font-size=\"10\">\(String(format: "%.1f", values[i]))\(unit)</text>"
        }
        return svg + "</svg>"
    }

    private static func header(title: String, width: Double, height: Double) -> String {
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(escape(title))\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\"><title>\(escape(title))</title>"
    }

    private static func axis(left: Double, top: Double, plotHeight: Double, width: Double, maximum: Double) -> String {
        var svg = "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotHeight))\" stroke=\"#555\"/>"
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(width - 20))\" y2=\"\(f(top + plotHeight))\" stroke=\"#555\"/>"
        for tick in 0...4 {
            let value = maximum * Double(tick) / 4
            let y = top + plotHeight - plotHeight * Double(tick) / 4
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 4))\" font-size=\"10\" text-anchor=\"end\">\(Int(value.rounded()))</text>"
            if tick > 0 { svg += "<line x1=\"\(f(left))\" y1=\"\(f(y))\" x2=\"\(f(width - 20))\" y2=\"\(f(y))\" stroke=\"#ddd\"/>" }
        }
        return svg
    }

    private static func legend(_ series: [Series], x: Double, y: Double) -> String {
        var svg = ""
        var offset = x
        for s in series {
            svg += "<rect x=\"\(f(offset))\" y=\"\(f(y - 9))\" width=\"10\" height=\"10\" fill=\"\(s.color)\"/>"
            svg += "<text x=\"\(f(offset + 14))\" y=\"\(f(y))\" font-size=\"11\">\(escape(s.name))</text>"
            offset += 24 + Double(s.name.count) * 6.5
        }
        return svg
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

import Foundation

/// Small inline SVG charts for the HTML report: no scripts, no fonts or
/// files from elsewhere. Pixel positions are floating point; the figures
/// they draw come from the exact report values. Axes have round ticks
/// (`AxisScale`), and margins grow with the labels so none is clipped.
enum SVGChart {
    struct Series {
        let name: String
        let color: String
        let values: [Double]
    }

    /// A line drawn over the bars (supply, available stock, a floor).
    struct Line {
        let name: String
        let color: String
        let values: [Double]
        var dashed = false
    }

    /// A drawn chart and its title (the page shows the title above it).
    struct Figure {
        let title: String
        let svg: String
    }

    /// Average width of a character of the 10–11 px labels, for margins.
    static let characterWidth = 6.2

    /// Vertical bars per category, stacked when there are several series;
    /// `lines` are drawn over the bars.
    static func bars(title: String, categories: [String], stacked series: [Series], lines: [Line] = []) -> Figure {
        let width = 900.0, top = 30.0, right = 20.0
        let totals = categories.indices.map { i in series.reduce(0) { $0 + ($1.values[safe: i] ?? 0) } }
        let scale = AxisScale(maximum: (totals + lines.flatMap(\.values)).max() ?? 0)
        let left = 16 + characterWidth * Double(scale.ticks.map { scale.label($0).count }.max() ?? 1)
        let step = (width - left - right) / Double(max(1, categories.count))
        let longest = Double(categories.map(\.count).max() ?? 0)
        // Labels stand upright when they fit their slot; else they are turned
        // 45° and the bottom margin makes room for the longest.
        let upright = longest * characterWidth <= step - 4
        let bottom = upright ? 28 : 16 + longest * characterWidth * 0.72
        let height = top + 240 + bottom
        let plotHeight = height - bottom - top
        func y(_ value: Double) -> Double { top + plotHeight - plotHeight * value / scale.top }
        var svg = header(title: title, width: width, height: height)
        svg += axis(scale: scale, left: left, right: width - right, y: y)
        let labelEvery = upright ? 1 : max(1, Int((Double(categories.count) * 14 / (width - left - right)).rounded(.up)))
        for (i, category) in categories.enumerated() {
            var base = scale.top > 0 ? y(0) : top + plotHeight
            for s in series {
                let value = s.values[safe: i] ?? 0
                let h = plotHeight * value / scale.top
                base -= h
                svg += "<rect class=\"bar\" x=\"\(f(left + Double(i) * step + step * 0.15))\" y=\"\(f(base))\" width=\"\(f(step * 0.7))\" height=\"\(f(h))\" fill=\"\(s.color)\"><title>\(escape(category)) \(escape(s.name)): \(count(value))</title></rect>"
            }
            guard i % labelEvery == 0 else { continue }
            let x = left + Double(i) * step + step / 2, labelY = top + plotHeight + 16
            if upright {
                svg += "<text x=\"\(f(x))\" y=\"\(f(labelY))\" font-size=\"10\" text-anchor=\"middle\">\(escape(category))</text>"
            } else {
                svg += "<text x=\"\(f(x))\" y=\"\(f(labelY))\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-45 \(f(x)) \(f(labelY)))\">\(escape(category))</text>"
            }
        }
        for line in lines {
            let points = line.values.enumerated().map { i, v in "\(f(left + Double(i) * step + step / 2)),\(f(y(v)))" }
            svg += "<polyline class=\"line\" points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\"\(line.dashed ? " stroke-dasharray=\"6 4\"" : "")><title>\(escape(line.name))</title></polyline>"
        }
        svg += legend(series.map { ($0.name, $0.color, false) } + lines.map { ($0.name, $0.color, true) }, x: left, y: 14)
        return Figure(title: title, svg: svg + "</svg>")
    }

    /// Horizontal bars, one per label, from zero to `maximum` (e.g. fill
    /// rate per customer, 0–100); `text` gives each bar's value label.
    static func horizontalBars(
        title: String, labels: [String], values: [Double], maximum: Double, colors: [String], text: (Double) -> String
    ) -> Figure {
        let rowHeight = 18.0, width = 900.0, top = 30.0
        let left = 12 + characterWidth * Double(labels.map(\.count).max() ?? 1)
        let valueRoom = 12 + characterWidth * Double(values.map { text($0).count }.max() ?? 1)
        let height = top + rowHeight * Double(labels.count) + 20
        var svg = header(title: title, width: width, height: height)
        for (i, label) in labels.enumerated() {
            let y = top + Double(i) * rowHeight
            let w = (width - left - valueRoom) * min(abs(values[i]), maximum) / max(maximum, 1)
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 13))\" font-size=\"11\" text-anchor=\"end\">\(escape(label))</text>"
            svg += "<rect class=\"bar\" x=\"\(f(left))\" y=\"\(f(y + 2))\" width=\"\(f(max(w, 0.5)))\" height=\"\(f(rowHeight - 4))\" fill=\"\(colors[safe: i] ?? "#2e75b6")\"><title>\(escape(label)): \(escape(text(values[i])))</title></rect>"
            svg += "<text x=\"\(f(left + w + 4))\" y=\"\(f(y + 13))\" font-size=\"10\">\(escape(text(values[i])))</text>"
        }
        return Figure(title: title, svg: svg + "</svg>")
    }

    private static func header(title: String, width: Double, height: Double) -> String {
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(escape(title))\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\"><title>\(escape(title))</title>"
    }

    private static func axis(scale: AxisScale, left: Double, right: Double, y: (Double) -> Double) -> String {
        var svg = "<line x1=\"\(f(left))\" y1=\"\(f(y(scale.top)))\" x2=\"\(f(left))\" y2=\"\(f(y(0)))\" stroke=\"#555\"/>"
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(y(0)))\" x2=\"\(f(right))\" y2=\"\(f(y(0)))\" stroke=\"#555\"/>"
        for tick in scale.ticks {
            svg += "<text class=\"tick\" x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" font-size=\"10\" text-anchor=\"end\">\(scale.label(tick))</text>"
            if tick > 0 { svg += "<line x1=\"\(f(left))\" y1=\"\(f(y(tick)))\" x2=\"\(f(right))\" y2=\"\(f(y(tick)))\" stroke=\"#ddd\"/>" }
        }
        return svg
    }

    private static func legend(_ entries: [(name: String, color: String, isLine: Bool)], x: Double, y: Double) -> String {
        var svg = ""
        var offset = x
        for entry in entries {
            if entry.isLine {
                svg += "<line x1=\"\(f(offset))\" y1=\"\(f(y - 4))\" x2=\"\(f(offset + 12))\" y2=\"\(f(y - 4))\" stroke=\"\(entry.color)\" stroke-width=\"2\"/>"
            } else {
                svg += "<rect x=\"\(f(offset))\" y=\"\(f(y - 9))\" width=\"10\" height=\"10\" fill=\"\(entry.color)\"/>"
            }
            svg += "<text x=\"\(f(offset + 16))\" y=\"\(f(y))\" font-size=\"11\">\(escape(entry.name))</text>"
            offset += 30 + Double(entry.name.count) * 5.6
        }
        return svg
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    /// A whole number of chips, grouped by thousands (`31,536`).
    static func count(_ value: Double) -> String { Int(value.rounded()).grouped }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

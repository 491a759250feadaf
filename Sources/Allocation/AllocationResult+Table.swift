extension AllocationResult {
    /// A planner-readable plain-text summary: one table of weeks per SKU
    /// (available, allocated, carry), the fixed chips released per line and
    /// week when there are any, and one of customers per SKU (demand,
    /// allocated, fill rate). Demand here is everything the customer's lines
    /// asked for over the run: chips allocated plus chips still open. Fill
    /// rates are exact integer tenths of a percent, rounded half up.
    public func tableSummary() -> String {
        var out = ""
        let skus = unallocated.map(\.sku)
        for sku in skus {
            out += "SKU \(sku)\n"
            var rows = [["week", "available", "allocated", "carry"]]
            for p in periods where p.sku == sku {
                rows.append([p.period.description, String(p.available), String(p.allocated), String(p.carry)])
            }
            out += AllocationResult.render(rows)
            out += "unallocated after the last week: \(unallocated.first { $0.sku == sku }!.quantity)\n\n"
            let releasedRows = released.filter { $0.sku == sku }
            if !releasedRows.isEmpty {
                out += "fixed chips released (the week could not hold its frozen lots)\n"
                out += AllocationResult.render([["line", "week", "released"]]
                    + releasedRows.map { [$0.order, $0.period.description, String($0.quantity)] }) + "\n"
            }
            var allocated: [String: Int] = [:], open: [String: Int] = [:]
            var held: Set<String> = []
            for c in customers where c.sku == sku {
                allocated[c.customer, default: 0] += c.allocated
                if c.held { held.insert(c.customer) }
            }
            for b in backlog where b.sku == sku {
                open[b.customer, default: 0] += b.quantity
                allocated[b.customer, default: 0] += 0
                if b.held { held.insert(b.customer) }
            }
            var table = [["customer", "demand", "allocated", "fill rate"]]
            for id in allocated.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let got = allocated[id]!, demand = got + open[id, default: 0]
                table.append([id + (held.contains(id) ? " (on hold)" : ""), String(demand), String(got),
                              AllocationResult.percent(got, of: demand)])
            }
            out += AllocationResult.render(table) + "\n"
        }
        return out
    }

    /// `part / whole` as a percentage with one decimal, e.g. `66.7%`; `-` when `whole` is 0.
    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "-" }
        // Round half up, in 128 bits: chip counts up to 2^62 cannot overflow.
        let tenths = (Int128(part) * 2000 + Int128(whole)) / (2 * Int128(whole))
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// Right-aligns every column but the first.
    static func render(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { i in rows.map { $0[i].count }.max()! }
        return rows.map { row in
            row.indices.map { i in
                let pad = String(repeating: " ", count: widths[i] - row[i].count)
                return i == 0 ? row[i] + pad : pad + row[i]
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}

import Values

extension Scenario {
    /// The scenario as JSON (UTF-8), every field written out, records in their
    /// order, keys in the spec's order. `Scenario(json: s.jsonBytes()) == s`
    /// for every valid scenario.
    public func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + orders.count * 160)
        writeJSON { out.append(contentsOf: $0) }
        return out
    }

    /// `jsonBytes()` as a string.
    public func jsonString() -> String { String(decoding: jsonBytes(), as: UTF8.self) }

    /// Writes `jsonBytes()` to `sink` in chunks of about 64 KiB, so a scenario
    /// of any size is written without holding its whole text.
    public func writeJSON(to sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var w = JSONWriter()
        w.beginObject()
        w.key("policy")
        w.beginObject()
        w.field("method", policy.method.rawValue)
        w.field("internalFloorShare", policy.internalFloorShare)
        w.field("historyPeriods", policy.historyPeriods)
        w.endObject()
        w.key("products")
        w.beginArray()
        for p in products {
            w.beginObject(); w.field("sku", p.sku); w.field("lotSize", p.lotSize); w.field("onHand", p.onHand); w.endObject()
            try w.flush(to: sink)
        }
        w.endArray()
        w.key("customers")
        w.beginArray()
        for c in customers {
            w.beginObject()
            w.field("id", c.id)
            w.field("internal", c.isInternal)
            w.field("tier", c.tier)
            w.field("weight", c.weight)
            w.field("hold", c.hold)
            w.key("minimumPerPeriod")
            Self.write(c.minimumPerPeriod, to: &w)
            w.key("maximumPerPeriod")
            Self.write(c.maximumPerPeriod, to: &w)
            w.endObject()
            try w.flush(to: sink)
        }
        w.endArray()
        w.key("supply")
        w.beginArray()
        for s in supply {
            w.beginObject(); w.field("sku", s.sku); w.field("period", s.period); w.field("quantity", s.quantity); w.endObject()
            try w.flush(to: sink)
        }
        w.endArray()
        w.key("orders")
        w.beginArray()
        for o in orders {
            w.beginObject()
            w.field("id", o.id); w.field("customer", o.customer); w.field("sku", o.sku); w.field("quantity", o.quantity)
            w.field("requestedPeriod", o.requestedPeriod); w.field("placedAt", o.placedAt.text)
            w.endObject()
            try w.flush(to: sink)
        }
        w.endArray()
        w.key("fixed")
        w.beginArray()
        for f in fixed {
            w.beginObject(); w.field("order", f.order); w.field("period", f.period); w.field("quantity", f.quantity); w.endObject()
            try w.flush(to: sink)
        }
        w.endArray()
        w.key("history")
        w.beginArray()
        for h in history {
            w.beginObject()
            w.field("customer", h.customer); w.field("sku", h.sku); w.field("period", h.period); w.field("quantity", h.quantity)
            w.endObject()
            try w.flush(to: sink)
        }
        w.endArray()
        w.endObject()
        w.newline()
        try w.drain(to: sink)
    }

    /// SKU → chips, in SKU byte order.
    private static func write(_ map: [String: Int], to w: inout JSONWriter) {
        w.beginObject()
        for (k, v) in map.sorted(by: { ScenarioIndex.less($0.key, $1.key) }) { w.key(k); w.int(v) }
        w.endObject()
    }
}

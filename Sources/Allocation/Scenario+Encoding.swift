extension Scenario {
    /// The scenario as JSON (UTF-8), every field written out, records in their
    /// order, keys in the spec's order. `Scenario(json: s.jsonBytes()) == s`
    /// for every valid scenario.
    public func jsonBytes() -> [UInt8] {
        var w = JSONWriter(capacity: 64 + orders.count * 160)
        w.beginObject()
        w.key("policy")
        w.beginObject()
        w.field("method", policy.method.rawValue)
        w.key("internalFloorShare"); w.raw(policy.internalFloorShare.description)
        w.field("historyPeriods", policy.historyPeriods)
        w.endObject()
        w.key("products")
        w.beginArray()
        for p in products {
            w.beginObject(); w.field("sku", p.sku); w.field("lotSize", p.lotSize); w.field("onHand", p.onHand); w.endObject()
        }
        w.endArray()
        w.key("customers")
        w.beginArray()
        for c in customers {
            w.beginObject()
            w.field("id", c.id)
            w.field("internal", c.isInternal)
            w.field("tier", c.tier)
            w.key("weight"); w.raw(c.weight.description)
            w.field("hold", c.hold)
            for (name, map) in [("minimumPerPeriod", c.minimumPerPeriod), ("maximumPerPeriod", c.maximumPerPeriod)] {
                w.key(name)
                w.beginObject()
                for (k, v) in map.sorted(by: { ScenarioIndex.less($0.key, $1.key) }) { w.field(k, v) }
                w.endObject()
            }
            w.endObject()
        }
        w.endArray()
        w.key("supply")
        w.beginArray()
        for s in supply {
            w.beginObject(); w.field("sku", s.sku); w.field("period", s.period.description); w.field("quantity", s.quantity); w.endObject()
        }
        w.endArray()
        w.key("orders")
        w.beginArray()
        for o in orders {
            w.beginObject()
            w.field("id", o.id); w.field("customer", o.customer); w.field("sku", o.sku); w.field("quantity", o.quantity)
            w.field("requestedPeriod", o.requestedPeriod.description); w.field("placedAt", o.placedAt.text)
            w.endObject()
        }
        w.endArray()
        w.key("fixed")
        w.beginArray()
        for f in fixed {
            w.beginObject(); w.field("order", f.order); w.field("period", f.period.description); w.field("quantity", f.quantity); w.endObject()
        }
        w.endArray()
        w.key("history")
        w.beginArray()
        for h in history {
            w.beginObject()
            w.field("customer", h.customer); w.field("sku", h.sku); w.field("period", h.period.description); w.field("quantity", h.quantity)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes + [0x0A]
    }

    /// `jsonBytes()` as a string.
    public func jsonString() -> String { String(decoding: jsonBytes(), as: UTF8.self) }
}

extension AllocationResult {
    /// The result as deterministic JSON (UTF-8): fixed key order, rows in the
    /// documented order, one trailing newline. Byte-identical for equal results.
    public func jsonBytes() -> [UInt8] {
        var w = JSONWriter(capacity: 256 + allocations.count * 64 + customers.count * 160)
        w.beginObject()
        for (key, rows) in [("allocations", allocations), ("released", released)] {
            w.key(key)
            w.beginArray()
            for a in rows {
                w.beginObject()
                w.field("order", a.order); w.field("sku", a.sku); w.field("period", a.period.description); w.field("quantity", a.quantity)
                w.endObject()
            }
            w.endArray()
        }
        w.key("customers")
        w.beginArray()
        for c in customers {
            w.beginObject()
            w.field("id", c.customer); w.field("sku", c.sku); w.field("period", c.period.description)
            w.field("demand", c.demand); w.field("fixed", c.fixed); w.field("guaranteed", c.guaranteed); w.field("allocated", c.allocated)
            w.field("tier", c.tier); w.key("weight"); w.raw(c.weight.description); w.field("held", c.held)
            w.endObject()
        }
        w.endArray()
        w.key("backlog")
        w.beginArray()
        for b in backlog {
            w.beginObject()
            w.field("order", b.order); w.field("customer", b.customer); w.field("sku", b.sku)
            w.field("quantity", b.quantity); w.field("held", b.held)
            w.endObject()
        }
        w.endArray()
        w.key("periods")
        w.beginArray()
        for p in periods {
            w.beginObject()
            w.field("sku", p.sku); w.field("period", p.period.description)
            w.field("available", p.available); w.field("allocated", p.allocated); w.field("carry", p.carry)
            w.endObject()
        }
        w.endArray()
        w.key("unallocated")
        w.beginArray()
        for u in unallocated {
            w.beginObject(); w.field("sku", u.sku); w.field("quantity", u.quantity); w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes + [0x0A]
    }

    /// `jsonBytes()` as a string.
    public func jsonString() -> String { String(decoding: jsonBytes(), as: UTF8.self) }
}

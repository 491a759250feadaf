extension AllocationResult {
    /// The result as deterministic JSON (UTF-8): fixed key order, rows in the
    /// documented order, one trailing newline. Byte-identical for equal results.
    public func jsonBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + allocations.count * 64 + customers.count * 160)
        writeJSON { out.append(contentsOf: $0) }
        return out
    }

    /// `jsonBytes()` as a string.
    public func jsonString() -> String { String(decoding: jsonBytes(), as: UTF8.self) }

    /// Writes `jsonBytes()` to `sink` in chunks of about 64 KiB, so a result
    /// of any size is written without holding its whole text.
    public func writeJSON(to sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var w = JSONWriter()
        w.beginObject()
        w.key("allocations")
        try Self.write(allocations, to: &w, sink)
        w.key("released")
        try Self.write(released, to: &w, sink)
        w.key("customers")
        w.beginArray()
        for c in customers {
            w.beginObject()
            w.field("id", c.customer); w.field("sku", c.sku); w.field("period", c.period)
            w.field("demand", c.demand); w.field("fixed", c.fixed); w.field("guaranteed", c.guaranteed); w.field("allocated", c.allocated)
            w.field("tier", c.tier); w.field("weight", c.weight); w.field("held", c.held)
            w.endObject()
            try w.flush(to: sink)
        }
        w.endArray()
        w.key("backlog")
        w.beginArray()
        for b in backlog {
            w.beginObject()
            w.field("order", b.order); w.field("customer", b.customer); w.field("sku", b.sku)
            w.field("quantity", b.quantity); w.field("held", b.held)
            w.endObject()
            try w.flush(to: sink)
        }
        w.endArray()
        w.key("periods")
        w.beginArray()
        for p in periods {
            w.beginObject()
            w.field("sku", p.sku); w.field("period", p.period)
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
        w.newline()
        try w.drain(to: sink)
    }

    private static func write(_ rows: [Allocation], to w: inout JSONWriter, _ sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        w.beginArray()
        for a in rows {
            w.beginObject()
            w.field("order", a.order); w.field("sku", a.sku); w.field("period", a.period); w.field("quantity", a.quantity)
            w.endObject()
            try w.flush(to: sink)
        }
        w.endArray()
    }
}

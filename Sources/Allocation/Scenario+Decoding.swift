import Values

extension Scenario {
    /// Decodes and validates a scenario file (JSON, UTF-8).
    ///
    /// Missing optional fields take the spec's defaults; unknown fields and
    /// every other refusal of the spec throw a `ScenarioError` naming the record.
    public init(json bytes: some Sequence<UInt8>) throws(ScenarioError) {
        let root = try JSONReader.parse(Array(bytes))
        let top = try JSONObjectReader(root, record: "scenario",
                                       allowed: ["policy", "products", "customers", "supply", "orders", "fixed", "history"])
        self.init()
        if top.has("policy") {
            policy = try Scenario.decodePolicy(try JSONObjectReader(root.member("policy"), record: "policy",
                                                                     allowed: ["method", "internalFloorShare", "historyPeriods"]))
        }
        for (n, v) in try top.array("products").enumerated() {
            var r = try JSONObjectReader(v, record: "products[\(n)]", allowed: ["sku", "lotSize", "onHand"])
            let sku = try r.string("sku")
            r.record = "products[\(n)] (sku \"\(sku)\")"
            products.append(Product(sku: sku, lotSize: try r.count("lotSize"), onHand: try r.count("onHand", default: 0)))
        }
        for (n, v) in try top.array("customers").enumerated() {
            var r = try JSONObjectReader(v, record: "customers[\(n)]",
                                         allowed: ["id", "internal", "tier", "weight", "hold", "minimumPerPeriod", "maximumPerPeriod"])
            let id = try r.string("id")
            r.record = "customers[\(n)] (id \"\(id)\")"
            customers.append(Customer(id: id, isInternal: try r.bool("internal", default: false),
                                      tier: try r.integer("tier", default: 1), weight: try r.decimal("weight", default: .one),
                                      hold: try r.bool("hold", default: false),
                                      minimumPerPeriod: try r.quantityMap("minimumPerPeriod"),
                                      maximumPerPeriod: try r.quantityMap("maximumPerPeriod")))
        }
        for (n, v) in try top.array("supply").enumerated() {
            let r = try JSONObjectReader(v, record: "supply[\(n)]", allowed: ["sku", "period", "quantity"])
            supply.append(SupplyRow(sku: try r.string("sku"), period: try r.period("period"), quantity: try r.count("quantity")))
        }
        for (n, v) in try top.array("orders").enumerated() {
            var r = try JSONObjectReader(v, record: "orders[\(n)]",
                                         allowed: ["id", "customer", "sku", "quantity", "requestedPeriod", "placedAt"])
            let id = try r.string("id")
            r.record = "orders[\(n)] (id \"\(id)\")"
            let placed = try r.string("placedAt")
            guard let at = Timestamp(rfc3339: placed) else { throw ScenarioError(r.record, .malformedTimestamp(placed)) }
            orders.append(Line(id: id, customer: try r.string("customer"), sku: try r.string("sku"),
                                    quantity: try r.count("quantity"), requestedPeriod: try r.period("requestedPeriod"),
                                    placedAt: at))
        }
        for (n, v) in try top.array("fixed").enumerated() {
            let r = try JSONObjectReader(v, record: "fixed[\(n)]", allowed: ["order", "period", "quantity"])
            fixed.append(FixedAllocation(order: try r.string("order"), period: try r.period("period"), quantity: try r.count("quantity")))
        }
        for (n, v) in try top.array("history").enumerated() {
            let r = try JSONObjectReader(v, record: "history[\(n)]", allowed: ["customer", "sku", "period", "quantity"])
            history.append(HistoryRow(customer: try r.string("customer"), sku: try r.string("sku"),
                                      period: try r.period("period"), quantity: try r.count("quantity")))
        }
        try validate()
    }

    private static func decodePolicy(_ r: JSONObjectReader) throws(ScenarioError) -> Policy {
        var p = Policy()
        if r.has("method") {
            let m = try r.string("method")
            guard let method = Policy.Method(rawValue: m) else { throw ScenarioError(r.record, .unknownMethod(m)) }
            p.method = method
        }
        if let t = try r.numberText("internalFloorShare") {
            guard let f = ExactDecimal(t) else { throw ScenarioError(r.record, .unsupportedNumber(field: "internalFloorShare", text: t)) }
            guard f >= .zero, f <= .one else { throw ScenarioError(r.record, .floorShareOutOfRange(t)) }
            p.internalFloorShare = f
        }
        p.historyPeriods = try r.count("historyPeriods", default: 13)
        return p
    }
}

extension JSONValue {
    func member(_ key: String) -> JSONValue {
        if case let .object(m) = self, let v = m.first(where: { $0.key == key }) { return v.value }
        return .null
    }
}

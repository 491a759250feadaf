/// The checks of products, policy, customers, supply and history.
extension ScenarioIndex {
    /// Checks each product; returns product indices by SKU.
    static func checkProducts(_ scenario: Scenario) throws(ScenarioError) -> [String: Int] {
        var productByID: [String: Int] = [:]
        for (index, product) in scenario.products.enumerated() {
            let record = "products[\(index)] (sku \"\(product.sku)\")"
            guard productByID.updateValue(index, forKey: product.sku) == nil else {
                throw ScenarioError(record, .duplicateID(kind: "SKU", id: product.sku))
            }
            guard product.lotSize >= 1 else { throw ScenarioError(record, .lotSizeNotPositive(product.lotSize)) }
            guard product.onHand >= 0 else { throw ScenarioError(record, .negative(field: "onHand", text: String(product.onHand))) }
            guard product.onHand <= maxChips else { throw ScenarioError(record, .tooLarge(sku: product.sku, what: "on-hand stock")) }
        }
        return productByID
    }

    /// Checks the floor share (0…1) and the history window.
    static func checkPolicy(_ policy: Policy) throws(ScenarioError) {
        guard policy.internalFloorShare >= .zero, policy.internalFloorShare <= .one else {
            throw ScenarioError("policy", .floorShareOutOfRange(policy.internalFloorShare.description))
        }
        guard policy.historyPeriods >= 0 else {
            throw ScenarioError("policy", .negative(field: "historyPeriods", text: String(policy.historyPeriods)))
        }
    }

    /// Checks each customer and its contract terms.
    static func checkCustomers(_ scenario: Scenario, productByID: [String: Int]) throws(ScenarioError) {
        guard scenario.customers.count <= maxRecords else { throw ScenarioError("customers", .tooMany(what: "customers")) }
        var indexByID: [String: Int] = [:]
        for (index, customer) in scenario.customers.enumerated() {
            let record = "customers[\(index)] (id \"\(customer.id)\")"
            guard indexByID.updateValue(index, forKey: customer.id) == nil else {
                throw ScenarioError(record, .duplicateID(kind: "customer id", id: customer.id))
            }
            guard customer.weight.isPositive else { throw ScenarioError(record, .weightNotPositive(customer.weight.description)) }
            guard customer.tier >= 1 else { throw ScenarioError(record, .tierNotPositive(customer.tier)) }
            for (field, terms) in [("minimumPerPeriod", customer.minimumPerPeriod), ("maximumPerPeriod", customer.maximumPerPeriod)] {
                for (sku, quantity) in terms.sorted(by: { less($0.key, $1.key) }) {
                    _ = try productIndex(of: sku, in: productByID, record: record)
                    guard quantity >= 0 else { throw ScenarioError(record, .negative(field: "\(field).\(sku)", text: String(quantity))) }
                }
            }
        }
    }

    /// A supply row's place: one row per SKU and week.
    struct SupplyKey: Hashable {
        var product: Int
        var week: Int
    }

    /// Checks each supply row; returns each product's horizon, its first to
    /// last supply week (nil without supply).
    static func supplyHorizons(_ scenario: Scenario, productByID: [String: Int]) throws(ScenarioError) -> [ClosedRange<Int>?] {
        var horizon = [ClosedRange<Int>?](repeating: nil, count: scenario.products.count)
        var stockAndSupply = scenario.products.map(\.onHand)
        var seen = Set<SupplyKey>()
        for (index, row) in scenario.supply.enumerated() {
            let record = "supply[\(index)]"
            let product = try productIndex(of: row.sku, in: productByID, record: record)
            guard row.quantity >= 0 else { throw ScenarioError(record, .negative(field: "quantity", text: String(row.quantity))) }
            let week = row.period.ordinal
            guard seen.insert(SupplyKey(product: product, week: week)).inserted else {
                throw ScenarioError(record, .duplicateSupply(sku: row.sku, period: row.period))
            }
            horizon[product] = horizon[product].map { min($0.lowerBound, week)...max($0.upperBound, week) } ?? week...week
            guard let total = add(row.quantity, to: stockAndSupply[product]) else {
                throw ScenarioError(record, .tooLarge(sku: row.sku, what: "on-hand stock plus supply"))
            }
            stockAndSupply[product] = total
        }
        return horizon
    }

    /// Checks each history row (known SKU and customer, chips within the limit).
    static func checkHistory(_ scenario: Scenario, productByID: [String: Int], customerByID: [String: Int32]) throws(ScenarioError) {
        var historyChips = [Int](repeating: 0, count: scenario.products.count)
        for (index, row) in scenario.history.enumerated() {
            let record = "history[\(index)]"
            let product = try productIndex(of: row.sku, in: productByID, record: record)
            guard customerByID[row.customer] != nil else { throw ScenarioError(record, .unknownCustomer(row.customer)) }
            guard row.quantity >= 0 else { throw ScenarioError(record, .negative(field: "quantity", text: String(row.quantity))) }
            guard let total = add(row.quantity, to: historyChips[product]) else {
                throw ScenarioError(record, .tooLarge(sku: row.sku, what: "history"))
            }
            historyChips[product] = total
        }
    }
}

/// The checks and indices of order lines and fixed allocations (the hot
/// part: a run has up to millions of lines).
extension ScenarioIndex {
    /// Checks each order line and resolves its product and customer rank;
    /// returns the open chips per product.
    mutating func indexLines(_ scenario: Scenario, productByID: [String: Int],
                             customerByID: [String: Int32]) throws(ScenarioError) -> [Int] {
        let orders = scenario.orders
        guard orders.count <= ScenarioIndex.maxRecords else { throw ScenarioError("orders", .tooMany(what: "order lines")) }
        lineProduct = [Int32](repeating: 0, count: orders.count)
        lineCustomer = [Int32](repeating: 0, count: orders.count)
        var orderChips = [Int](repeating: 0, count: scenario.products.count)
        for index in orders.indices {
            let line = orders[index]
            // Build the record name only on failure (hot loop).
            func record() -> String { "orders[\(index)] (id \"\(line.id)\")" }
            guard let product = productByID[line.sku] else { throw ScenarioError(record(), .unknownSKU(line.sku)) }
            guard let rank = customerByID[line.customer] else { throw ScenarioError(record(), .unknownCustomer(line.customer)) }
            guard line.quantity >= 0 else { throw ScenarioError(record(), .negative(field: "quantity", text: String(line.quantity))) }
            let lotSize = scenario.products[product].lotSize
            guard line.quantity % lotSize == 0 else {
                throw ScenarioError(record(), .notLotMultiple(field: "quantity", quantity: line.quantity, lotSize: lotSize, sku: line.sku))
            }
            guard let total = ScenarioIndex.add(line.quantity, to: orderChips[product]) else {
                throw ScenarioError(record(), .tooLarge(sku: line.sku, what: "open order quantity"))
            }
            orderChips[product] = total
            lineProduct[index] = Int32(product)
            lineCustomer[index] = rank
        }
        return orderChips
    }

    /// Ranks the lines by id (byte order), refusing a duplicate id.
    mutating func rankLines(_ scenario: Scenario) throws(ScenarioError) {
        let orders = scenario.orders
        var keys = [(prefix: UInt128, line: Int32)]()
        keys.reserveCapacity(orders.count)
        for index in orders.indices { keys.append((ScenarioIndex.prefixKey(orders[index].id), Int32(index))) }
        keys.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            return ScenarioIndex.less(orders[Int(a.line)].id, orders[Int(b.line)].id)
        }
        lineRank = [Int32](repeating: 0, count: orders.count)
        linesByRank = [Int32](repeating: 0, count: orders.count)
        idsByRank.reserveCapacity(orders.count)
        for (rank, key) in keys.enumerated() {
            lineRank[Int(key.line)] = Int32(rank)
            linesByRank[rank] = key.line
            idsByRank.append(orders[Int(key.line)].id)
            guard rank > 0 else { continue }
            let previous = keys[rank - 1]
            if key.prefix == previous.prefix, orders[Int(key.line)].id.utf8.elementsEqual(orders[Int(previous.line)].id.utf8) {
                let later = max(Int(key.line), Int(previous.line))
                throw ScenarioError("orders[\(later)] (id \"\(orders[later].id)\")", .duplicateID(kind: "order id", id: orders[later].id))
            }
        }
    }

    /// The index of the line with `id`, by binary search over the ranked lines.
    func lineIndex(of id: String, in orders: [Scenario.Line]) -> Int? {
        var low = 0, high = linesByRank.count
        while low < high {
            let middle = (low + high) / 2
            if ScenarioIndex.less(orders[Int(linesByRank[middle])].id, id) { low = middle + 1 } else { high = middle }
        }
        guard low < linesByRank.count, orders[Int(linesByRank[low])].id.utf8.elementsEqual(id.utf8) else { return nil }
        return Int(linesByRank[low])
    }

    /// A fixed allocation's place: one row per line and week.
    struct FixedKey: Hashable {
        var line: Int
        var week: Int
    }

    /// Checks each fixed allocation and resolves its line; adds its chips to
    /// its product's `orderChips`.
    mutating func indexFixed(_ scenario: Scenario, orderChips: inout [Int]) throws(ScenarioError) {
        var seen = Set<FixedKey>()
        fixedLine.reserveCapacity(scenario.fixed.count)
        for (index, fixed) in scenario.fixed.enumerated() {
            let record = "fixed[\(index)] (order \"\(fixed.order)\")"
            guard let line = lineIndex(of: fixed.order, in: scenario.orders) else { throw ScenarioError(record, .unknownOrder(fixed.order)) }
            let productIndex = Int(lineProduct[line])
            let product = scenario.products[productIndex]
            guard fixed.quantity >= 0 else { throw ScenarioError(record, .negative(field: "quantity", text: String(fixed.quantity))) }
            guard fixed.quantity % product.lotSize == 0 else {
                throw ScenarioError(record, .notLotMultiple(field: "quantity", quantity: fixed.quantity, lotSize: product.lotSize, sku: product.sku))
            }
            guard let weeks = horizon[productIndex], weeks.contains(fixed.period.ordinal) else {
                throw ScenarioError(record, .fixedOutsideHorizon(sku: product.sku, period: fixed.period))
            }
            guard seen.insert(FixedKey(line: line, week: fixed.period.ordinal)).inserted else {
                throw ScenarioError(record, .duplicateFixed(order: fixed.order, period: fixed.period))
            }
            guard let total = ScenarioIndex.add(fixed.quantity, to: orderChips[productIndex]) else {
                throw ScenarioError(record, .tooLarge(sku: product.sku, what: "open plus fixed quantity"))
            }
            orderChips[productIndex] = total
            fixedLine.append(Int32(line))
        }
    }
}

/// A validated scenario with its records resolved to integer indices.
/// Built once per run by `Scenario.validate()`/`Allocator`.
struct ScenarioIndex: Sendable {
    /// Product indices in SKU byte order.
    var productOrder: [Int] = []
    /// Customer indices (into `scenario.customers`) in id byte order; a customer's rank is its position here.
    var customerOrder: [Int] = []
    /// Per order line: the product index.
    var lineProduct: [Int32] = []
    /// Per order line: the customer rank.
    var lineCustomer: [Int32] = []
    /// Per order line: its position in line id byte order.
    var lineRank: [Int32] = []
    /// Line indices in id byte order (inverse of `lineRank`).
    var linesByRank: [Int32] = []
    /// Line ids in id byte order (compact, for writing result rows).
    var idsByRank: [String] = []
    /// Per fixed row: the order line index.
    var fixedLine: [Int32] = []
    /// Per product: first and last supply week ordinals (nil without supply).
    var horizon: [ClosedRange<Int>?] = []

    /// Byte-order (UTF-8) comparison, independent of Unicode canonical equivalence.
    @inline(__always)
    static func less(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// The first 16 UTF-8 bytes, big-endian, as a sort key; equal keys need a full comparison.
    static func prefixKey(_ s: String) -> UInt128 {
        var k: UInt128 = 0
        var n = 0
        for b in s.utf8 {
            if n == 16 { break }
            k = k << 8 | UInt128(b)
            n += 1
        }
        return k << (8 * UInt128(16 - n))
    }

    /// The most chips one SKU's totals may reach: on-hand stock plus supply,
    /// open plus fixed order quantities, history. Below it every lot count,
    /// chip count and `2 × lots + 1` fits a 64-bit integer, and priorities
    /// compare exactly in 256 bits (`LotRule`).
    static let maxChips = 1 << 62
    /// The most order lines (and customers) a scenario may have: they are
    /// indexed with 32-bit integers.
    static let maxRecords = Int(Int32.max)

    /// `total + quantity` when it stays within `maxChips`.
    @inline(__always)
    static func add(_ quantity: Int, to total: Int) -> Int? {
        let (sum, overflow) = total.addingReportingOverflow(quantity)
        return !overflow && sum <= maxChips ? sum : nil
    }

    // swiftlint:disable:next function_body_length cyclomatic_complexity
    init(_ s: Scenario) throws(ScenarioError) {
        // Products.
        var productByID: [String: Int] = [:]
        for (n, p) in s.products.enumerated() {
            let rec = "products[\(n)] (sku \"\(p.sku)\")"
            guard productByID.updateValue(n, forKey: p.sku) == nil else { throw ScenarioError(rec, .duplicateID(kind: "SKU", id: p.sku)) }
            guard p.lotSize >= 1 else { throw ScenarioError(rec, .lotSizeNotPositive(p.lotSize)) }
            guard p.onHand >= 0 else { throw ScenarioError(rec, .negative(field: "onHand", text: String(p.onHand))) }
            guard p.onHand <= ScenarioIndex.maxChips else { throw ScenarioError(rec, .tooLarge(sku: p.sku, what: "on-hand stock")) }
        }
        productOrder = s.products.indices.sorted { ScenarioIndex.less(s.products[$0].sku, s.products[$1].sku) }
        func lot(_ sku: String, _ rec: String) throws(ScenarioError) -> Int {
            guard let p = productByID[sku] else { throw ScenarioError(rec, .unknownSKU(sku)) }
            return p
        }
        // Policy.
        guard s.policy.internalFloorShare >= .zero, s.policy.internalFloorShare <= .one else {
            throw ScenarioError("policy", .floorShareOutOfRange(s.policy.internalFloorShare.description))
        }
        guard s.policy.historyPeriods >= 0 else {
            throw ScenarioError("policy", .negative(field: "historyPeriods", text: String(s.policy.historyPeriods)))
        }
        // Customers.
        var customerByID: [String: Int] = [:]
        guard s.customers.count <= ScenarioIndex.maxRecords else { throw ScenarioError("customers", .tooMany(what: "customers")) }
        for (n, c) in s.customers.enumerated() {
            let rec = "customers[\(n)] (id \"\(c.id)\")"
            guard customerByID.updateValue(n, forKey: c.id) == nil else { throw ScenarioError(rec, .duplicateID(kind: "customer id", id: c.id)) }
            guard c.weight.isPositive else { throw ScenarioError(rec, .weightNotPositive(c.weight.description)) }
            guard c.tier >= 1 else { throw ScenarioError(rec, .tierNotPositive(c.tier)) }
            for (field, map) in [("minimumPerPeriod", c.minimumPerPeriod), ("maximumPerPeriod", c.maximumPerPeriod)] {
                for (sku, q) in map.sorted(by: { ScenarioIndex.less($0.key, $1.key) }) {
                    _ = try lot(sku, rec)
                    guard q >= 0 else { throw ScenarioError(rec, .negative(field: "\(field).\(sku)", text: String(q))) }
                }
            }
        }
        customerOrder = s.customers.indices.sorted { ScenarioIndex.less(s.customers[$0].id, s.customers[$1].id) }
        var rankOfCustomer = [Int](repeating: 0, count: s.customers.count)
        for (r, c) in customerOrder.enumerated() { rankOfCustomer[c] = r }
        var rankByID: [String: Int32] = [:]
        rankByID.reserveCapacity(s.customers.count)
        for (id, n) in customerByID { rankByID[id] = Int32(rankOfCustomer[n]) }
        // Supply.
        var supplyChips = s.products.map(\.onHand)
        horizon = Array(repeating: nil, count: s.products.count)
        var seenSupply = Set<SupplyKey>()
        for (n, row) in s.supply.enumerated() {
            let rec = "supply[\(n)]"
            let p = try lot(row.sku, rec)
            guard row.quantity >= 0 else { throw ScenarioError(rec, .negative(field: "quantity", text: String(row.quantity))) }
            guard seenSupply.insert(SupplyKey(product: p, week: row.period.ordinal)).inserted else {
                throw ScenarioError(rec, .duplicateSupply(sku: row.sku, period: row.period))
            }
            let w = row.period.ordinal
            horizon[p] = horizon[p].map { min($0.lowerBound, w)...max($0.upperBound, w) } ?? w...w
            guard let total = ScenarioIndex.add(row.quantity, to: supplyChips[p]) else {
                throw ScenarioError(rec, .tooLarge(sku: row.sku, what: "on-hand stock plus supply"))
            }
            supplyChips[p] = total
        }
        // Orders.
        let count = s.orders.count
        guard count <= ScenarioIndex.maxRecords else { throw ScenarioError("orders", .tooMany(what: "order lines")) }
        lineProduct = [Int32](repeating: 0, count: count)
        lineCustomer = [Int32](repeating: 0, count: count)
        var orderChips = [Int](repeating: 0, count: s.products.count)
        for n in 0..<count {
            let o = s.orders[n]
            // Build the record name only on failure (hot loop).
            func name() -> String { "orders[\(n)] (id \"\(o.id)\")" }
            guard let p = productByID[o.sku] else { throw ScenarioError(name(), .unknownSKU(o.sku)) }
            guard let c = rankByID[o.customer] else { throw ScenarioError(name(), .unknownCustomer(o.customer)) }
            guard o.quantity >= 0 else { throw ScenarioError(name(), .negative(field: "quantity", text: String(o.quantity))) }
            let l = s.products[p].lotSize
            guard o.quantity % l == 0 else {
                throw ScenarioError(name(), .notLotMultiple(field: "quantity", quantity: o.quantity, lotSize: l, sku: o.sku))
            }
            guard let total = ScenarioIndex.add(o.quantity, to: orderChips[p]) else {
                throw ScenarioError(name(), .tooLarge(sku: o.sku, what: "open order quantity"))
            }
            orderChips[p] = total
            lineProduct[n] = Int32(p)
            lineCustomer[n] = c
        }
        // Line ranks by id (also finds duplicate ids).
        var keys = [(UInt128, Int32)]()
        keys.reserveCapacity(count)
        for n in 0..<count { keys.append((ScenarioIndex.prefixKey(s.orders[n].id), Int32(n))) }
        keys.sort { a, b in
            if a.0 != b.0 { return a.0 < b.0 }
            return ScenarioIndex.less(s.orders[Int(a.1)].id, s.orders[Int(b.1)].id)
        }
        lineRank = [Int32](repeating: 0, count: count)
        idsByRank.reserveCapacity(count)
        var sortedLines = [Int32](repeating: 0, count: count)
        defer { linesByRank = sortedLines }
        for (r, k) in keys.enumerated() {
            lineRank[Int(k.1)] = Int32(r)
            sortedLines[r] = k.1
            idsByRank.append(s.orders[Int(k.1)].id)
            if r > 0, k.0 == keys[r - 1].0, s.orders[Int(k.1)].id.utf8.elementsEqual(s.orders[Int(keys[r - 1].1)].id.utf8) {
                let n = max(Int(k.1), Int(keys[r - 1].1))
                throw ScenarioError("orders[\(n)] (id \"\(s.orders[n].id)\")", .duplicateID(kind: "order id", id: s.orders[n].id))
            }
        }
        func findLine(_ id: String) -> Int? {
            var lo = 0, hi = count
            while lo < hi {
                let mid = (lo + hi) / 2
                if ScenarioIndex.less(s.orders[Int(sortedLines[mid])].id, id) { lo = mid + 1 } else { hi = mid }
            }
            return lo < count && s.orders[Int(sortedLines[lo])].id.utf8.elementsEqual(id.utf8) ? Int(sortedLines[lo]) : nil
        }
        // Fixed allocations.
        var seenFixed = Set<SupplyKey>()
        fixedLine.reserveCapacity(s.fixed.count)
        for (n, f) in s.fixed.enumerated() {
            let rec = "fixed[\(n)] (order \"\(f.order)\")"
            guard let line = findLine(f.order) else { throw ScenarioError(rec, .unknownOrder(f.order)) }
            let p = Int(lineProduct[line])
            let product = s.products[p]
            guard f.quantity >= 0 else { throw ScenarioError(rec, .negative(field: "quantity", text: String(f.quantity))) }
            guard f.quantity % product.lotSize == 0 else {
                throw ScenarioError(rec, .notLotMultiple(field: "quantity", quantity: f.quantity, lotSize: product.lotSize, sku: product.sku))
            }
            guard let h = horizon[p], h.contains(f.period.ordinal) else {
                throw ScenarioError(rec, .fixedOutsideHorizon(sku: product.sku, period: f.period))
            }
            guard seenFixed.insert(SupplyKey(product: line, week: f.period.ordinal)).inserted else {
                throw ScenarioError(rec, .duplicateFixed(order: f.order, period: f.period))
            }
            guard let total = ScenarioIndex.add(f.quantity, to: orderChips[p]) else {
                throw ScenarioError(rec, .tooLarge(sku: product.sku, what: "open plus fixed quantity"))
            }
            orderChips[p] = total
            fixedLine.append(Int32(line))
        }
        // History.
        var historyChips = [Int](repeating: 0, count: s.products.count)
        for (n, h) in s.history.enumerated() {
            let rec = "history[\(n)]"
            let p = try lot(h.sku, rec)
            guard customerByID[h.customer] != nil else { throw ScenarioError(rec, .unknownCustomer(h.customer)) }
            guard h.quantity >= 0 else { throw ScenarioError(rec, .negative(field: "quantity", text: String(h.quantity))) }
            guard let total = ScenarioIndex.add(h.quantity, to: historyChips[p]) else {
                throw ScenarioError(rec, .tooLarge(sku: h.sku, what: "history"))
            }
            historyChips[p] = total
        }
    }

    struct SupplyKey: Hashable {
        var product: Int
        var week: Int
    }
}

extension Scenario {
    /// Checks every rule of the scenario format that `init(json:)` checks
    /// (useful for scenarios built in code). Throws the first refusal found.
    public func validate() throws(ScenarioError) {
        _ = try ScenarioIndex(self)
    }
}

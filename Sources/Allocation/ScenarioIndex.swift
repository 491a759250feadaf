/// A validated scenario with its records resolved to integer indices.
/// Built once per run by `Scenario.validate()`/`Allocator`: each record kind
/// is checked in turn (`ScenarioIndex+Records.swift`, `ScenarioIndex+Lines.swift`)
/// and the first refusal is thrown, naming the record.
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

    init(_ scenario: Scenario) throws(ScenarioError) {
        let productByID = try ScenarioIndex.checkProducts(scenario)
        productOrder = scenario.products.indices.sorted { ScenarioIndex.less(scenario.products[$0].sku, scenario.products[$1].sku) }
        try ScenarioIndex.checkPolicy(scenario.policy)
        try ScenarioIndex.checkCustomers(scenario, productByID: productByID)
        customerOrder = scenario.customers.indices.sorted { ScenarioIndex.less(scenario.customers[$0].id, scenario.customers[$1].id) }
        var customerByID: [String: Int32] = [:]
        customerByID.reserveCapacity(customerOrder.count)
        for (rank, index) in customerOrder.enumerated() { customerByID[scenario.customers[index].id] = Int32(rank) }
        horizon = try ScenarioIndex.supplyHorizons(scenario, productByID: productByID)
        var orderChips = try indexLines(scenario, productByID: productByID, customerByID: customerByID)
        try rankLines(scenario)
        try indexFixed(scenario, orderChips: &orderChips)
        try ScenarioIndex.checkHistory(scenario, productByID: productByID, customerByID: customerByID)
    }

    /// Byte-order (UTF-8) comparison, independent of Unicode canonical equivalence.
    @inline(__always)
    static func less(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// The first 16 UTF-8 bytes, big-endian, as a sort key; equal keys need a full comparison.
    static func prefixKey(_ s: String) -> UInt128 {
        var key: UInt128 = 0
        var count = 0
        for byte in s.utf8 {
            if count == 16 { break }
            key = key << 8 | UInt128(byte)
            count += 1
        }
        return key << (8 * UInt128(16 - count))
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

    /// The index of the product with `sku`, or the refusal of `record` for naming an unknown SKU.
    static func productIndex(of sku: String, in productByID: [String: Int], record: String) throws(ScenarioError) -> Int {
        guard let product = productByID[sku] else { throw ScenarioError(record, .unknownSKU(sku)) }
        return product
    }
}

extension Scenario {
    /// Checks every rule of the scenario format that `init(json:)` checks
    /// (useful for scenarios built in code). Throws the first refusal found.
    public func validate() throws(ScenarioError) {
        _ = try ScenarioIndex(self)
    }
}

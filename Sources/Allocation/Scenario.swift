/// Everything one allocation run needs: the scenario file's content.
///
/// Decode with `Scenario(json:)`, encode with `jsonBytes()`/`jsonString()`,
/// check with `validate()`.
public struct Scenario: Hashable, Sendable {
    public var policy: Policy
    public var products: [Product]
    public var customers: [Customer]
    public var supply: [SupplyRow]
    public var orders: [Line]
    public var fixed: [FixedAllocation]
    public var history: [HistoryRow]

    public init(policy: Policy = Policy(), products: [Product] = [], customers: [Customer] = [], supply: [SupplyRow] = [],
                orders: [Line] = [], fixed: [FixedAllocation] = [], history: [HistoryRow] = []) {
        self.policy = policy
        self.products = products
        self.customers = customers
        self.supply = supply
        self.orders = orders
        self.fixed = fixed
        self.history = history
    }
}

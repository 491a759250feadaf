/// What order entry checks a draft against: the stored products (lot
/// size and currency) and customers. `order create` loads the few rows a
/// draft names; `order import` loads them once for the whole file.
public struct OrderCatalogue: Sendable {
    /// A product's terms that entry checks.
    public struct ProductTerms: Equatable, Sendable {
        public let lotSize: Int
        public let currency: String

        public init(lotSize: Int, currency: String) {
            self.lotSize = lotSize
            self.currency = currency
        }
    }

    /// By SKU.
    public let products: [String: ProductTerms]
    /// Customer ids known (for suggestions: all of them when one is unknown).
    public let customers: Set<String>
    /// Whether the products hold more than one currency (else no order can mix them).
    public let hasSeveralCurrencies: Bool

    public init(products: [String: ProductTerms], customers: Set<String>) {
        self.products = products
        self.customers = customers
        self.hasSeveralCurrencies = Set(products.values.map(\.currency)).count > 1
    }

    /// Why a customer id cannot take orders, or `nil`.
    public func customerProblem(_ id: String) -> String? {
        guard !customers.contains(id) else { return nil }
        return "\(Echo.value(id)) is not a known customer" + Suggestion.hint(for: id, among: customers.sorted())
    }

    /// The field and problem of a line's SKU and quantity, or `nil`.
    public func lineProblem(sku: String, quantity: Int) -> (field: String, problem: String)? {
        guard let product = products[sku] else {
            return ("sku", "\(Echo.value(sku)) is not a known product" + Suggestion.hint(for: sku, among: products.keys.sorted()))
        }
        guard quantity % product.lotSize == 0 else {
            return ("quantity", Validate.notWholeLots(quantity, sku: sku, lotSize: product.lotSize))
        }
        return nil
    }
}

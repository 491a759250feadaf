import Values

extension SupplyEntry {
    /// A week of supply as the database holds it, taken as it is (see
    /// `Customer.init(storedID:…)`): more chips than `supply set` accepts
    /// must not stop a listing or a run.
    public init(storedSKU sku: String, week: Period, quantity: Int) {
        self.sku = sku
        self.week = week
        self.quantity = quantity
    }
}

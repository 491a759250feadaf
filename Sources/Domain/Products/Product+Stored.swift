import Foundation

extension Product {
    /// A product as the database holds it, taken as it is (see
    /// `Customer.init(storedID:…)`): a lot size or name beyond the entry
    /// rules must not stop a listing or a run.
    public init(storedSKU sku: String, name: String, lotSize: Int, unitPrice: Decimal, currency: String) {
        self.sku = sku
        self.name = name
        self.lotSize = lotSize
        self.unitPrice = unitPrice
        self.currency = currency
    }
}

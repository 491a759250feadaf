import Foundation

/// A sellable SKU: a chip, a board or a server, sold in whole lots.
public struct Product: Equatable, Sendable {
    /// Upper-case letters, digits, `.`, `_`, `-`; at most 32 characters (`TRN3`).
    public let sku: String
    public let name: String
    /// Chips per tray, board or server; every quantity is a multiple of it.
    public let lotSize: Int
    /// List price per chip, exact.
    public let unitPrice: Decimal
    /// ISO 4217 code (`USD`).
    public let currency: String

    public init(sku: String, name: String, lotSize: Int, unitPrice: Decimal, currency: String) throws {
        let record = "product \(sku)"
        self.sku = try Product.validSKU(sku)
        self.name = try Validate.text(name, record: record, field: "name")
        self.lotSize = try Validate.quantity(lotSize, record: record, field: "lot size", range: 1...1_000_000)
        self.unitPrice = try Validate.price(unitPrice, record: record, field: "unit price")
        guard currency.count == 3, currency.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw ValidationFailure(record: record, field: "currency", problem: "must be a 3-letter ISO 4217 code like USD (got \"\(currency)\")")
        }
        self.currency = currency
    }

    /// Checks a SKU's shape.
    public static func validSKU(_ sku: String) throws -> String {
        let allowed = sku.utf8.allSatisfy { byte in
            (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == 46 || byte == 95 || byte == 45
        }
        guard !sku.isEmpty, sku.utf8.count <= 32, allowed, sku.first != "-", sku.first != ".", sku.first != "_" else {
            throw ValidationFailure(
                record: "product \(sku)", field: "sku",
                problem: "must be 1-32 upper-case letters, digits, '.', '_' or '-' (got \"\(sku)\")")
        }
        return sku
    }
}

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
        self.sku = try Product.validSKU(sku)
        let record = "product \(self.sku)"
        self.name = try Validate.text(name, record: record, field: "name")
        self.lotSize = try Validate.quantity(lotSize, record: record, field: "lot size", range: 1...1_000_000)
        self.unitPrice = try Validate.price(unitPrice, record: record, field: "unit price")
        self.currency = try Product.validCurrency(currency, record: record)
    }

    /// A SKU as typed: surrounding spaces dropped and upper-cased (` trn3 `
    /// is `TRN3`), then checked for its shape.
    public static func validSKU(_ sku: String) throws -> String {
        let normalized = TextRules.uppercased(TextRules.trimmed(sku))
        let bytes = normalized.utf8
        let allowed = bytes.allSatisfy { byte in
            (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == 46 || byte == 95 || byte == 45
        }
        guard !bytes.isEmpty, bytes.count <= 32, allowed, let first = bytes.first, first != 45, first != 46, first != 95 else {
            throw ValidationFailure(
                record: "product \(Echo.value(sku))", field: "sku",
                problem: "must be 1-32 letters, digits, '.', '_' or '-' (got \(Echo.quoted(sku)))", kind: .malformed)
        }
        return normalized
    }

    /// A currency code as typed (` usd ` is `USD`); the database checks that
    /// it is an ISO 4217 code (its `currencies` table), as it checks countries.
    public static func validCurrency(_ currency: String, record: String) throws -> String {
        let normalized = TextRules.trimmed(currency).uppercased()
        guard normalized.utf8.count == 3, normalized.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
            throw ValidationFailure(
                record: record, field: "currency",
                problem: "must be a 3-letter ISO 4217 code like USD (got \(Echo.quoted(currency)))", kind: .malformed)
        }
        return normalized
    }
}

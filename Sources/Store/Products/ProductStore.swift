import Database
import Domain
import Foundation

/// Products (SKUs) in PostgreSQL.
public struct ProductStore {
    let connection: Connection

    public init(_ connection: Connection) { self.connection = connection }

    /// Stores a new product.
    ///
    /// - Throws: `ValidationFailure` when the SKU exists already or the
    ///   currency is not an ISO 4217 code (the database's `currencies`).
    public func add(_ product: Product) throws {
        do {
            try connection.execute(
                "INSERT INTO products (sku, name, lot_size, unit_price, currency) VALUES ($1, $2, $3, $4, $5)",
                [product.sku, product.name, product.lotSize, product.unitPrice, product.currency])
        } catch let error as DatabaseError where error.sqlState == .uniqueViolation {
            throw ValidationFailure(record: "product \(product.sku)", field: "sku", problem: "already exists")
        } catch let error as DatabaseError where error.constraint == "products_currency_fkey" {
            throw ValidationFailure(
                record: "product \(product.sku)", field: "currency", problem: "\(product.currency) is not an ISO 4217 currency code")
        }
    }

    /// Every product, by SKU.
    public func list() throws -> [Product] {
        try connection.execute("SELECT sku, name, lot_size, unit_price, currency FROM products ORDER BY sku").map(Self.product)
    }

    /// The product with this SKU, or `nil`.
    public func find(_ sku: String) throws -> Product? {
        try connection.queryFirst("SELECT sku, name, lot_size, unit_price, currency FROM products WHERE sku = $1", [sku])
            .map(Self.product)
    }

    static func product(_ row: Row) throws -> Product {
        try Product(
            storedSKU: row.decode("sku"), name: row.decode("name"), lotSize: row.decode("lot_size"),
            unitPrice: row.decode("unit_price"), currency: row.decode("currency"))
    }
}

import Database
import Domain

/// A record the operator named does not exist.
public struct NotFound: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was looked for, e.g. `customer helios-dc` or `order 42 line 3`.
    public let record: String
    /// The nearest name that does exist, when one is near (`TRN3` for `TRN9`).
    public let suggestion: String?

    public init(_ record: String, suggestion: String? = nil) {
        self.record = record
        self.suggestion = suggestion
    }

    public var description: String {
        "\(record) does not exist" + (suggestion.map { " (did you mean \($0)?)" } ?? "")
    }

    /// An unknown product, with the nearest known SKU.
    static func product(_ sku: String, on connection: Connection) throws -> NotFound {
        let known = try connection.execute("SELECT sku FROM products ORDER BY sku").map { try $0.decode("sku", as: String.self) }
        return NotFound("product \(Echo.value(sku))", suggestion: Suggestion.nearest(to: sku, among: known))
    }

    /// An unknown customer, with the nearest known id.
    static func customer(_ id: String, on connection: Connection) throws -> NotFound {
        let known = try connection.execute("SELECT id FROM customers ORDER BY id").map { try $0.decode("id", as: String.self) }
        return NotFound("customer \(Echo.value(id))", suggestion: Suggestion.nearest(to: id, among: known))
    }
}

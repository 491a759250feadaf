import Database
import Domain

/// A record the operator named does not exist.
public struct NotFound: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was looked for, e.g. `customer helios-dc` or `order 42 line 3`.
    public let record: String
    /// The nearest name that does exist, when one is near (`TRN3` for `TRN9`).
    public let suggestion: String?
    /// What to do about it, when there is something (`run chipsales allocate run first`).
    public let hint: String?

    public init(_ record: String, suggestion: String? = nil, hint: String? = nil) {
        self.record = record
        self.suggestion = suggestion
        self.hint = hint
    }

    public var description: String {
        "\(record) does not exist" + (suggestion.map { " (did you mean \($0)?)" } ?? "") + (hint.map { ": \($0)" } ?? "")
    }

    /// No run has been stored yet, so there is no current plan to read.
    public static let noPlan = NotFound(
        "allocation plan", hint: "no run has been stored yet; run `chipsales allocate run` first")

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

extension NotFound {
    /// Refuses a listing's filter that names a customer or SKU that does not
    /// exist (with the nearest known one), as a report refuses it: a typo
    /// must not read as "nothing matches".
    static func requireKnown(customer: String? = nil, sku: String? = nil, on connection: Connection) throws {
        guard customer != nil || sku != nil else { return }
        guard let row = try connection.queryFirst(
            """
            SELECT ($1::text IS NULL OR EXISTS (SELECT 1 FROM customers WHERE id = $1)) AS customer_known,
                   ($2::text IS NULL OR EXISTS (SELECT 1 FROM products WHERE sku = $2)) AS sku_known
            """, [customer, sku]) else { return }
        if let customer, try !row.decode("customer_known", as: Bool.self) { throw try NotFound.customer(customer, on: connection) }
        if let sku, try !row.decode("sku_known", as: Bool.self) { throw try NotFound.product(sku, on: connection) }
    }
}

import Foundation

/// Export-compliance status; only `cleared` customers receive allocations or shipments.
public enum ComplianceStatus: String, CaseIterable, Sendable, Codable {
    case cleared, pending, denied
}

/// A buyer: the vendor's own cloud (internal) or an outside data-centre operator.
public struct Customer: Equatable, Sendable {
    /// A short slug: lower-case letters, digits and inner hyphens (`helios-dc`).
    public let id: String
    public var name: String
    /// ISO 3166-1 alpha-2 (`DE`); the database checks it is a real code.
    public var country: String
    /// The vendor's own cloud, which holds the reserved floor share.
    public var isInternal: Bool
    /// 1 is served first.
    public var tier: Int
    /// Share within a tier, exact; greater than 0.
    public var weight: Decimal
    public var compliance: ComplianceStatus
    /// On credit hold: excluded from allocation, no shipments.
    public var creditHold: Bool

    public init(
        id: String, name: String, country: String, isInternal: Bool = false, tier: Int = 1,
        weight: Decimal = 1, compliance: ComplianceStatus = .cleared, creditHold: Bool = false
    ) throws {
        self.id = try Customer.validID(id)
        let record = "customer \(self.id)"
        self.name = try Validate.text(name, record: record, field: "name")
        self.country = try Customer.validCountry(country, record: record)
        self.isInternal = isInternal
        self.tier = try Customer.validTier(tier, record: record)
        self.weight = try Customer.validWeight(weight, record: record)
        self.compliance = compliance
        self.creditHold = creditHold
    }

    /// A customer id as typed: surrounding spaces dropped and lower-cased
    /// (` Helios-DC ` is `helios-dc`), then checked for its shape.
    public static func validID(_ id: String) throws -> String {
        let normalized = TextRules.lowercased(TextRules.trimmed(id))
        let bytes = normalized.utf8
        let allowed = bytes.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        guard (1...40).contains(bytes.count), allowed, bytes.first != 45, bytes.last != 45 else {
            throw ValidationFailure(
                record: "customer \(Echo.value(id))", field: "id",
                problem: "must be 1-40 lower-case letters, digits and inner hyphens, like helios-dc (got \(Echo.quoted(id)))",
                kind: .malformed)
        }
        return normalized
    }

    /// An ISO 3166-1 alpha-2 code as typed (` de ` is `DE`); the database
    /// checks that it is a real country.
    static func validCountry(_ country: String, record: String) throws -> String {
        let normalized = TextRules.trimmed(country).uppercased()
        guard normalized.utf8.count == 2, normalized.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
            throw ValidationFailure(
                record: record, field: "country",
                problem: "must be an ISO 3166-1 alpha-2 code like DE (got \(Echo.quoted(country)))", kind: .malformed)
        }
        return normalized
    }

    static func validTier(_ tier: Int, record: String) throws -> Int {
        guard (1...9).contains(tier) else {
            throw ValidationFailure(record: record, field: "tier", problem: "must be between 1 and 9 (got \(tier))")
        }
        return tier
    }

    static func validWeight(_ weight: Decimal, record: String) throws -> Decimal {
        guard weight > 0, weight <= 1_000_000 else {
            throw ValidationFailure(record: record, field: "weight", problem: "must be greater than 0 and at most 1000000 (got \(weight))")
        }
        var rounded = Decimal(), copy = weight
        NSDecimalRound(&rounded, &copy, 6, .plain)
        guard rounded == weight else {
            throw ValidationFailure(record: record, field: "weight", problem: "must have at most 6 decimal places (got \(weight))")
        }
        return weight
    }
}

/// Changes to a customer; `nil` leaves a field as it is.
public struct CustomerChanges: Sendable {
    public var tier: Int?
    public var weight: Decimal?
    public var compliance: ComplianceStatus?
    public var creditHold: Bool?
    public var name: String?
    public var country: String?
    /// Per-SKU weekly minimum in chips; 0 removes it.
    public var minimums: [String: Int] = [:]
    /// Per-SKU weekly cap in chips; 0 removes it (no cap).
    public var maximums: [String: Int] = [:]

    public init() {}

    public var isEmpty: Bool {
        tier == nil && weight == nil && compliance == nil && creditHold == nil && name == nil && country == nil
            && minimums.isEmpty && maximums.isEmpty
    }

    /// Checks every given field, naming the customer.
    public func validate(customer id: String) throws {
        _ = try validated(customer: id)
    }

    /// The changes as they are stored: every given field checked, text
    /// trimmed, codes and SKUs in upper case.
    public func validated(customer id: String) throws -> CustomerChanges {
        let record = "customer \(id)"
        var result = self
        if let tier { result.tier = try Customer.validTier(tier, record: record) }
        if let weight { result.weight = try Customer.validWeight(weight, record: record) }
        if let name { result.name = try Validate.text(name, record: record, field: "name") }
        if let country { result.country = try Customer.validCountry(country, record: record) }
        result.minimums = try Self.terms(minimums, record: record, field: "minimum")
        result.maximums = try Self.terms(maximums, record: record, field: "maximum")
        return result
    }

    private static func terms(_ terms: [String: Int], record: String, field: String) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for (sku, value) in terms.sorted(by: { $0.key < $1.key }) {
            let normalized = try Product.validSKU(sku)
            result[normalized] = try Validate.quantity(value, record: record, field: "\(field) for \(normalized)", range: 0...maximumChips)
        }
        return result
    }

    /// Refuses a minimum or maximum of `sku` that is not whole lots of it:
    /// allocation hands out whole lots, so such a term could never be met exactly.
    public func checkWholeLots(sku: String, lotSize: Int, customer id: String) throws {
        for (field, terms) in [("minimum", minimums), ("maximum", maximums)] {
            if let value = terms[sku] {
                try Validate.wholeLots(value, lotSize: lotSize, sku: sku, record: "customer \(id)", field: "\(field) for \(sku)")
            }
        }
    }
}

/// A customer's contract terms for one SKU, in chips per week.
public struct ContractTerms: Equatable, Sendable {
    public let sku: String
    public let minimumPerWeek: Int?
    public let maximumPerWeek: Int?

    public init(sku: String, minimumPerWeek: Int?, maximumPerWeek: Int?) {
        self.sku = sku
        self.minimumPerWeek = minimumPerWeek
        self.maximumPerWeek = maximumPerWeek
    }
}

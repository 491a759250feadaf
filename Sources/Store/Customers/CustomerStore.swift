import Database
import Domain
import Foundation

/// A customer with its per-SKU contract terms.
public struct CustomerRecord: Equatable, Sendable {
    public let customer: Customer
    public let contracts: [ContractTerms]
}

/// Customers and their contracts in PostgreSQL.
public struct CustomerStore {
    let connection: Connection

    public init(_ connection: Connection) { self.connection = connection }

    /// Stores a new customer.
    ///
    /// - Throws: `ValidationFailure` when the id exists or the country is not a real ISO 3166 code.
    public func add(_ customer: Customer) throws {
        do {
            try connection.execute(
                """
                INSERT INTO customers (id, name, country, internal, tier, weight, compliance, credit_hold)
                VALUES ($1, $2, $3, $4, $5, $6::numeric, $7::compliance_status, $8)
                """,
                [customer.id, customer.name, customer.country, customer.isInternal, customer.tier,
                 customer.weight, customer.compliance.rawValue, customer.creditHold])
        } catch let error as DatabaseError where error.sqlState == .uniqueViolation {
            throw ValidationFailure(record: "customer \(customer.id)", field: "id", problem: "already exists")
        } catch let error as DatabaseError where error.sqlState == .foreignKeyViolation {
            throw ValidationFailure(
                record: "customer \(customer.id)", field: "country",
                problem: "\(customer.country) is not an ISO 3166-1 alpha-2 country code")
        }
    }

    /// Applies changes to a customer and its contracts in one transaction.
    ///
    /// - Throws: `NotFound` for an unknown customer or SKU, `ValidationFailure`
    ///   for a minimum above the cap or an unknown country.
    public func update(_ typedID: String, _ typedChanges: CustomerChanges) throws {
        let id = try Customer.validID(typedID)
        let changes = try typedChanges.validated(customer: id)
        let record = "customer \(id)"
        try connection.transaction { tx in
            guard try tx.queryFirst("SELECT id FROM customers WHERE id = $1 FOR UPDATE", [id]) != nil else {
                throw try NotFound.customer(id, on: tx)
            }
            do {
                try tx.execute(
                    """
                    UPDATE customers SET
                        tier = coalesce($2::smallint, tier),
                        weight = coalesce($3::numeric, weight),
                        compliance = coalesce($4::compliance_status, compliance),
                        credit_hold = coalesce($5::boolean, credit_hold),
                        name = coalesce($6, name),
                        country = coalesce($7, country),
                        updated_at = now()
                    WHERE id = $1
                    """,
                    [id, changes.tier, changes.weight, changes.compliance?.rawValue, changes.creditHold,
                     changes.name, changes.country])
            } catch let error as DatabaseError where error.sqlState == .foreignKeyViolation {
                throw ValidationFailure(record: record, field: "country", problem: "\(changes.country ?? "") is not an ISO 3166-1 alpha-2 country code")
            }
            for sku in Set(changes.minimums.keys).union(changes.maximums.keys).sorted() {
                guard let product = try tx.queryFirst("SELECT lot_size FROM products WHERE sku = $1", [sku]) else {
                    throw try NotFound.product(sku, on: tx)
                }
                try changes.checkWholeLots(sku: sku, lotSize: try product.decode("lot_size"), customer: id)
                // 0 clears a term: no minimum, or no cap.
                let minimum = changes.minimums[sku].map { $0 == 0 ? nil : $0 }
                let maximum = changes.maximums[sku].map { $0 == 0 ? nil : $0 }
                do {
                    try tx.execute(
                        """
                        INSERT INTO customer_contracts AS c (customer_id, sku, minimum_per_week, maximum_per_week)
                        VALUES ($1, $2, $4::int, $6::int)
                        ON CONFLICT (customer_id, sku) DO UPDATE SET
                            minimum_per_week = CASE WHEN $3 THEN $4::int ELSE c.minimum_per_week END,
                            maximum_per_week = CASE WHEN $5 THEN $6::int ELSE c.maximum_per_week END
                        """,
                        [id, sku, changes.minimums[sku] != nil, minimum ?? nil, changes.maximums[sku] != nil, maximum ?? nil])
                } catch let error as DatabaseError where error.constraint == "contracts_minimum_within_maximum" {
                    throw ValidationFailure(record: record, field: "minimum for \(sku)", problem: "must not exceed the maximum for \(sku)")
                } catch let error as DatabaseError where error.constraint == "contracts_whole_lots" {
                    // Another session changed the product's lot size meanwhile; the database refused.
                    throw ValidationFailure(record: record, field: "minimum or maximum for \(sku)", problem: error.message)
                }
                try tx.execute(
                    "DELETE FROM customer_contracts WHERE customer_id = $1 AND sku = $2 AND minimum_per_week IS NULL AND maximum_per_week IS NULL",
                    [id, sku])
            }
        }
    }

    /// Every customer, internal first, then by tier and id.
    public func list() throws -> [CustomerRecord] {
        let contracts = try loadContracts(nil)
        return try connection.execute(
            """
            SELECT id, name, country, internal, tier, weight, compliance::text AS compliance, credit_hold
            FROM customers ORDER BY internal DESC, tier, id
            """
        ).map { row in
            let customer = try Self.customer(row)
            return CustomerRecord(customer: customer, contracts: contracts[customer.id] ?? [])
        }
    }

    /// One customer.
    ///
    /// - Throws: `NotFound` naming the nearest known id when there is none.
    public func get(_ typedID: String) throws -> CustomerRecord {
        guard let record = try find(typedID) else { throw try NotFound.customer(try Customer.validID(typedID), on: connection) }
        return record
    }

    /// One customer, or `nil`.
    public func find(_ typedID: String) throws -> CustomerRecord? {
        let id = try Customer.validID(typedID)
        guard let row = try connection.queryFirst(
            """
            SELECT id, name, country, internal, tier, weight, compliance::text AS compliance, credit_hold
            FROM customers WHERE id = $1
            """, [id]) else { return nil }
        return CustomerRecord(customer: try Self.customer(row), contracts: try loadContracts(id)[id] ?? [])
    }

    private func loadContracts(_ id: String?) throws -> [String: [ContractTerms]] {
        var result: [String: [ContractTerms]] = [:]
        for row in try connection.execute(
            """
            SELECT customer_id, sku, minimum_per_week, maximum_per_week FROM customer_contracts
            WHERE $1::text IS NULL OR customer_id = $1 ORDER BY customer_id, sku
            """, [id]) {
            let terms = ContractTerms(
                sku: try row.decode("sku"), minimumPerWeek: try row.decodeIfPresent("minimum_per_week"),
                maximumPerWeek: try row.decodeIfPresent("maximum_per_week"))
            result[try row.decode("customer_id"), default: []].append(terms)
        }
        return result
    }

    /// A stored compliance status, or an error naming the customer.
    private static func decodeCompliance(_ text: String, customer: String) throws -> ComplianceStatus {
        guard let status = ComplianceStatus(rawValue: text) else {
            throw StoreInconsistency(
                table: "customers", row: "id \(customer)", column: "compliance", value: text,
                problem: "is not a compliance status this version knows")
        }
        return status
    }

    static func customer(_ row: Row) throws -> Customer {
        let id: String = try row.decode("id")
        let compliance: String = try row.decode("compliance")
        return try Customer(
            storedID: id, name: row.decode("name"), country: row.decode("country"),
            isInternal: row.decode("internal"), tier: row.decode("tier"), weight: row.decode("weight"),
            compliance: try decodeCompliance(compliance, customer: id), creditHold: row.decode("credit_hold"))
    }
}

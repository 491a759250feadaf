import Database
import Domain
import Foundation
import Store
import TestSupport
import Testing
import Values

@Suite("Products, customers and supply")
struct CatalogueStoreTests {
    @Test("products and customers are stored, listed and found, non-ASCII and SQL-like text intact")
    func storeAndList() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let hostile = "Robert'); DROP TABLE customers;--"
        try CustomerStore(connection).add(Customer(id: "bobby", name: hostile, country: "GB"))
        #expect(try ProductStore(connection).list().map(\.sku) == ["TRN3", "TRN3-BOARD", "TRN3-SERVER"])
        #expect(try ProductStore(connection).find("TRN3")?.unitPrice == Decimal(string: "9800.00"))
        #expect(try CustomerStore(connection).find("bobby")?.customer.name == hostile)
        #expect(try CustomerStore(connection).find("tokyo-compute")?.customer.name == "東京コンピュート")
        let ids = try CustomerStore(connection).list().map(\.customer.id)
        #expect(ids.first == "aws-cloud")  // internal first
        #expect(ids.count == 5)
    }

    @Test("a duplicate SKU or customer id and an unknown country are refused, naming the field")
    func duplicatesRefused() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        #expect(throws: ValidationFailure(record: "product TRN3", field: "sku", problem: "already exists")) {
            try ProductStore(connection).add(Product(sku: "TRN3", name: "again", lotSize: 16, unitPrice: 1, currency: "USD"))
        }
        #expect(throws: ValidationFailure(record: "customer helios-dc", field: "id", problem: "already exists")) {
            try CustomerStore(connection).add(Customer(id: "helios-dc", name: "again", country: "DE"))
        }
        #expect(throws: ValidationFailure(record: "customer atlantis", field: "country", problem: "XA is not an ISO 3166-1 alpha-2 country code")) {
            try CustomerStore(connection).add(Customer(id: "atlantis", name: "Atlantis", country: "XA"))
        }
    }

    @Test("customer changes and contract terms apply together; a minimum above the cap changes nothing")
    func customerChanges() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let store = CustomerStore(connection)
        var changes = CustomerChanges()
        changes.tier = 1
        changes.weight = Decimal(string: "2.25")
        changes.creditHold = true
        changes.compliance = .denied
        changes.minimums = ["TRN3": 256]
        changes.maximums = ["TRN3": 4096]
        try store.update("helios-dc", changes)
        let record = try #require(try store.find("helios-dc"))
        #expect(record.customer.tier == 1 && record.customer.weight == Decimal(string: "2.25"))
        #expect(record.customer.creditHold && record.customer.compliance == .denied)
        #expect(record.contracts == [ContractTerms(sku: "TRN3", minimumPerWeek: 256, maximumPerWeek: 4096)])

        var bad = CustomerChanges()
        bad.tier = 3
        bad.minimums = ["TRN3": 8192]
        #expect(throws: ValidationFailure.self) { try store.update("helios-dc", bad) }
        let after = try #require(try store.find("helios-dc"))
        #expect(after.customer.tier == 1)  // the tier change was rolled back with the bad minimum
        #expect(after.contracts == record.contracts)

        var clear = CustomerChanges()
        clear.minimums = ["TRN3": 0]
        clear.maximums = ["TRN3": 0]
        try store.update("helios-dc", clear)
        #expect(try store.find("helios-dc")?.contracts.isEmpty == true)
        #expect(throws: NotFound("customer nobody")) { try store.update("nobody", changes) }
        var unknownSKU = CustomerChanges()
        unknownSKU.minimums = ["NOPE": 16]
        #expect(throws: NotFound("product NOPE")) { try store.update("helios-dc", unknownSKU) }
    }

    @Test("supply is set per SKU and week, replaced on re-set, and filtered by range")
    func supply() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let store = SupplyStore(connection)
        for (week, quantity) in [("2026-W49", 40000), ("2026-W50", 41000), ("2026-W53", 42000), ("2027-W01", 43000)] {
            try store.set(SupplyEntry(sku: "TRN3", week: Period(week)!, quantity: quantity))
        }
        try store.set(SupplyEntry(sku: "TRN3", week: Period("2026-W50")!, quantity: 39000))
        let ranged = try store.list(sku: "TRN3", from: Period("2026-W50"), to: Period("2026-W53"))
        #expect(ranged.map(\.quantity) == [39000, 42000])
        #expect(try store.list().count == 4)
        #expect(throws: NotFound("product NOPE")) { try store.set(SupplyEntry(sku: "NOPE", week: Period("2026-W50")!, quantity: 1)) }
        #expect(throws: ValidationFailure.self) { try SupplyEntry(sku: "TRN3", week: Period("2026-W50")!, quantity: -1) }
    }
}

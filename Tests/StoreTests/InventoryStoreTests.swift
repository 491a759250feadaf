import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

@Suite("Inventory ledger")
struct InventoryStoreTests {
    @Test("receipts and adjustments move on-hand stock, and it never goes negative")
    func neverNegative() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let store = InventoryStore(connection)
        #expect(try store.receive(sku: "TRN3", quantity: 4096, note: "fab 2, lot 77") == 4096)
        #expect(try store.adjust(sku: "TRN3", quantity: -32, reason: "cycle count") == 4064)
        let error = #expect(throws: ValidationFailure.self) { try store.adjust(sku: "TRN3", quantity: -5000, reason: "oops") }
        #expect(error?.description.contains("4064") == true)
        #expect(try store.onHand("TRN3") == 4064)
        #expect(throws: ValidationFailure.self) { try store.adjust(sku: "TRN3", quantity: 5, reason: "  ") }
        #expect(throws: ValidationFailure.self) { try store.receive(sku: "TRN3", quantity: 0, note: nil) }
        #expect(throws: NotFound("product NOPE")) { try store.receive(sku: "NOPE", quantity: 16, note: nil) }
        let level = try #require(try store.stock().first { $0.sku == "TRN3" })
        #expect(level.onHand == 4064 && level.received == 4096 && level.adjusted == -32)
        #expect(try store.movements(sku: "TRN3").map(\.kind) == [.adjustment, .receipt])
    }

    @Test("the database refuses negative stock and ledger edits even from raw SQL")
    func databaseEnforces() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try Fixtures.seed(connection)
        _ = try InventoryStore(connection).receive(sku: "TRN3", quantity: 64, note: nil)
        let negative = #expect(throws: DatabaseError.self) {
            try connection.execute("INSERT INTO inventory_movements (sku, kind, quantity, note) VALUES ('TRN3', 'adjustment', -80, 'x')")
        }
        #expect(negative?.constraint == "inventory_on_hand_not_negative")
        let edit = #expect(throws: DatabaseError.self) { try connection.execute("UPDATE inventory_movements SET quantity = 6400") }
        #expect(edit?.message.contains("append-only") == true)
        #expect(throws: DatabaseError.self) { try connection.execute("DELETE FROM inventory_movements") }
        #expect(throws: DatabaseError.self) { try connection.execute("TRUNCATE inventory_movements") }
        #expect(try InventoryStore(connection).onHand("TRN3") == 64)
    }
}

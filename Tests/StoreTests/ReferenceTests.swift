import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

/// The order tables' references are checked per statement (schema 005), not
/// by declarative foreign keys: these tests hold them to what a foreign key
/// promises, from raw SQL that bypasses the Swift checks.
@Suite("References between orders, customers and products")
struct ReferenceTests {
    func seeded() throws -> (TestDatabase, Connection, orderID: Int) {
        let database = try TestDatabase.make()
        let connection = try database.connect()
        try Fixtures.seed(connection)
        let draft = try OrderDraft(customer: "helios-dc", reference: "PO-REF", lines: [LineDraft(number: 1, parsing: "TRN3:64:\(Weeks.text(1))")])
        return (database, connection, try OrderStore(connection).create(draft).order.id)
    }

    @Test("a line for an unknown order, or with a lot size its product does not have, is refused and nothing is stored")
    func linesNeedTheirOrderAndProduct() throws {
        let (database, connection, orderID) = try seeded()
        defer { database.drop() }
        let lines = try Fixtures.count("order_lines", connection)
        let unknownOrder = #expect(throws: DatabaseError.self) {
            try connection.execute(
                """
                INSERT INTO order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency)
                VALUES ($1, 2, 'TRN3', 16, 16, '2026-W50', 1, 'USD'), ($2, 1, 'TRN3', 16, 16, '2026-W50', 1, 'USD')
                """, [orderID, orderID + 1000])
        }
        #expect(unknownOrder?.sqlState == .foreignKeyViolation)
        #expect(unknownOrder?.constraint == "order_lines_order_id_fkey")
        let wrongLot = #expect(throws: DatabaseError.self) {
            try connection.execute(
                """
                INSERT INTO order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency)
                VALUES ($1, 2, 'TRN3', 8, 16, '2026-W50', 1, 'USD')
                """, [orderID])
        }
        #expect(wrongLot?.sqlState == .foreignKeyViolation)
        #expect(wrongLot?.constraint == "order_lines_product_fkey")
        #expect(try Fixtures.count("order_lines", connection) == lines)
    }

    @Test("an order for an unknown customer is refused")
    func ordersNeedTheirCustomer() throws {
        let (database, connection, _) = try seeded()
        defer { database.drop() }
        let error = #expect(throws: DatabaseError.self) {
            try connection.execute("INSERT INTO orders (customer_id, reference) VALUES ('helios-dc', 'PO-OK'), ('nobody', 'PO-X')")
        }
        #expect(error?.sqlState == .foreignKeyViolation)
        #expect(error?.constraint == "orders_customer_id_fkey")
        #expect(try Fixtures.count("orders", connection) == 1)
    }

    @Test("a customer or product that orders reference cannot be deleted or re-keyed; unreferenced ones can")
    func referencedRowsStay() throws {
        let (database, connection, orderID) = try seeded()
        defer { database.drop() }
        for sql in ["DELETE FROM customers WHERE id = 'helios-dc'", "UPDATE customers SET id = 'helios' WHERE id = 'helios-dc'"] {
            let error = #expect(throws: DatabaseError.self) { try connection.execute(sql) }
            #expect(error?.constraint == "orders_customer_id_fkey", "\(sql)")
        }
        let lotChange = #expect(throws: DatabaseError.self) { try connection.execute("UPDATE products SET lot_size = 32 WHERE sku = 'TRN3'") }
        #expect(lotChange?.constraint == "order_lines_product_fkey")
        // No order references the server SKU, so its lot size may still change.
        try connection.execute("UPDATE products SET lot_size = 128 WHERE sku = 'TRN3-SERVER'")
        for sql in ["UPDATE order_lines SET sku = 'TRN3-BOARD', lot_size = 64 WHERE order_id = $1",
                    "UPDATE orders SET customer_id = 'tokyo-compute' WHERE id = $1", "UPDATE orders SET id = DEFAULT WHERE id = $1"] {
            let error = #expect(throws: DatabaseError.self) { try connection.execute(sql, [orderID]) }
            #expect(error?.sqlState == .foreignKeyViolation, "\(sql)")
        }
        let truncations: [StaticOrTrustedSQL] = [
            "TRUNCATE orders CASCADE", "TRUNCATE order_lines CASCADE", "TRUNCATE customers CASCADE", "TRUNCATE products CASCADE",
        ]
        for sql in truncations {
            #expect(throws: DatabaseError.self) { try connection.executeScript(sql) }
        }
        #expect(try Fixtures.count("order_lines", connection) == 1)
    }

    @Test("deleting or re-keying a referenced row is refused outright in a REPEATABLE READ transaction")
    func repeatableReadIsRefused() throws {
        let (database, connection, _) = try seeded()
        defer { database.drop() }
        try connection.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
        let error = #expect(throws: DatabaseError.self) {
            try connection.execute("UPDATE products SET lot_size = 128 WHERE sku = 'TRN3-SERVER'")
        }
        #expect(error?.sqlState == SQLState(rawValue: "55000"))
        try connection.executeScript("ROLLBACK")
        // Other changes to the same rows are fine in any isolation.
        try connection.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
        try connection.execute("UPDATE products SET name = 'Trainium3 server (2U)' WHERE sku = 'TRN3-SERVER'")
        try connection.executeScript("COMMIT")
    }

    @Test("a lot-size change waits for a line being entered with the old lot size, then fails")
    func lotSizeChangeWaitsForEntry() throws {
        let (database, entry, orderID) = try seeded()
        defer { database.drop() }
        let planner = try database.connect()
        try entry.executeScript("BEGIN")
        try entry.execute(
            """
            INSERT INTO order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency)
            VALUES ($1, 2, 'TRN3-SERVER', 256, 256, '2026-W50', 1, 'USD')
            """, [orderID])
        // The uncommitted line holds a key-share lock on its product, as a foreign key would.
        try planner.executeScript("SET lock_timeout = '300ms'")
        let blocked = #expect(throws: DatabaseError.self) {
            try planner.execute("UPDATE products SET lot_size = 128 WHERE sku = 'TRN3-SERVER'")
        }
        #expect(blocked?.sqlState == .lockNotAvailable)
        try entry.executeScript("COMMIT")
        let refused = #expect(throws: DatabaseError.self) {
            try planner.execute("UPDATE products SET lot_size = 128 WHERE sku = 'TRN3-SERVER'")
        }
        #expect(refused?.constraint == "order_lines_product_fkey")
    }

    @Test("db check names an order line whose order is missing (written with triggers switched off)")
    func checkFindsOrphans() throws {
        let (database, connection, orderID) = try seeded()
        defer { database.drop() }
        #expect(try InvariantCheck(connection).violations().isEmpty)
        // Only a superuser can do this: replica mode skips every trigger.
        try connection.executeScript("SET session_replication_role = replica")
        try connection.execute(
            """
            INSERT INTO order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency)
            VALUES ($1, 1, 'TRN3', 16, 16, '2026-W50', 1, 'USD')
            """, [orderID + 1000])
        try connection.executeScript("SET session_replication_role = DEFAULT")
        let violations = try InvariantCheck(connection).violations()
        #expect(violations.count == 1)
        #expect(violations.first?.hasPrefix("order references resolve: order line") == true)
        #expect(violations.first?.hasSuffix("unknown order \(orderID + 1000)") == true)
    }
}

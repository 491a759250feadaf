import Foundation
import Testing
import TestSupport

/// User text never reaches SQL except as a parameter: hostile strings go in
/// through every text field and come back byte for byte, and nothing else changes.
@Suite("Injection strings through every text field")
struct InjectionTests {
    static let hostile = [
        "Robert'); DROP TABLE orders;--",
        "x' OR '1'='1",
        "$1; SELECT pg_sleep(10)",
        "\\\\copy orders TO '/tmp/x'",
        "naïve \"quotes\" and ’curly’ — 東京",
    ]

    @Test("names, references, notes and reasons are stored as text, exactly", arguments: hostile)
    func textFields(text: String) throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        try Fixtures.seed(try database.connect())
        let env = ["DATABASE_URL": database.url]
        #expect(try runChipsales(["product", "add", "--sku", "EVIL1", "--name", text, "--lot-size", "16", "--unit-price", "1.00"], environment: env).status == 0)
        #expect(try runChipsales(["customer", "add", "--id", "evil-dc", "--name", text, "--country", "DE"], environment: env).status == 0)
        let created = try runChipsales(["order", "create", "--customer", "evil-dc", "--reference", text, "--line", "EVIL1:16:\(Weeks.text(1))", "--format", "json"], environment: env)
        #expect(created.status == 0, "\(created.stderr)")
        let id = try #require((try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])?["id"] as? Int)
        #expect(try runChipsales(["inventory", "receive", "--sku", "EVIL1", "--quantity", "32", "--note", text], environment: env).status == 0)
        #expect(try runChipsales(["inventory", "adjust", "--sku", "EVIL1", "--quantity", "-16", "--reason", text], environment: env).status == 0)
        #expect(try runChipsales(["order", "amend", String(id), "--line", "1", "--quantity", "32", "--reason", text], environment: env).status == 0)
        #expect(try runChipsales(["order", "cancel", String(id), "--reason", text], environment: env).status == 0)
        // A filter that cannot be a customer id is a usage error, and changes nothing.
        let listed = try runChipsales(["order", "list", "--customer", text, "--format", "json"], environment: env)
        #expect(listed.status == 64 && listed.stdout.isEmpty, "\(listed.stderr)")

        let connection = try database.connect()
        #expect(try connection.queryFirst("SELECT name FROM products WHERE sku = 'EVIL1'")?.decode("name", as: String.self) == text)
        #expect(try connection.queryFirst("SELECT name FROM customers WHERE id = 'evil-dc'")?.decode("name", as: String.self) == text)
        #expect(try connection.queryFirst("SELECT reference FROM orders WHERE id = $1", [id])?.decode("reference", as: String.self) == text)
        #expect(try connection.execute("SELECT note FROM inventory_movements ORDER BY id").map { try $0.decode("note", as: String.self) } == [text, text])
        let reasons = try connection.execute("SELECT reason FROM order_events WHERE reason IS NOT NULL ORDER BY id").map { try $0.decode("reason", as: String.self) }
        #expect(reasons == [text, text])
        #expect(try Fixtures.count("orders", connection) == 1)
        #expect(try Fixtures.count("customers", connection) == 5)
    }
}

import Database
import Foundation
import Store
import Testing
import TestSupport

/// What is stored is read as it is stored. The entry rules (no control
/// characters in a name, a lot size up to 1,000,000, at most 1,000,000,000
/// chips a week) are for what a person enters; a row the database holds that
/// predates them, or that an app login wrote with SQL, must still list,
/// show and take part in the weekly run, its text shown safely.
@Suite("Stored rows beyond the entry rules")
struct StoredRowTests {
    @Test("a customer name with an escape sequence, a lot size and a week of supply above the entry bounds stop no listing and no run")
    func listedAndPlanned() throws {
        let database = try TestDatabase.make()
        let admin = try database.connect()
        try AllocationStory.load(admin)
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        // Written by an app login behind the CLI's back, as the database allows.
        let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        try app.execute("INSERT INTO customers (id, name, country) VALUES ('legacy-ai', E'Legacy\\x1b[2J AI', 'DE')")
        try app.execute("INSERT INTO products (sku, name, lot_size, unit_price, currency) VALUES ('BIGLOT', 'Big lot', 2000000, 1, 'USD')")
        try app.execute("INSERT INTO supply_capacity (sku, week, quantity) VALUES ('TRN3-BOARD', '2027-W10', 2000000000)")

        let env = ["DATABASE_URL": database.url(asUser: login)]
        for arguments in [["customer", "list"], ["customer", "show", "legacy-ai"], ["customer", "list", "--format", "json"],
                          ["product", "list"], ["supply", "list"], ["inventory", "show"],
                          ["allocate", "run", "--as-of", "2027-W10", "--dry-run"], ["allocate", "run", "--as-of", "2027-W10"]] {
            let output = try runChipsales(arguments, environment: env)
            #expect(output.status == 0, "\(arguments): \(output.stderr)")
            #expect(!output.stdout.contains("\u{1B}"), "\(arguments): a raw escape sequence reached the terminal")
        }
        let list = try runChipsales(["customer", "list"], environment: env)
        #expect(list.stdout.contains("Legacy\\u{1B}[2J AI"), "\(list.stdout)")
        let json = try runChipsales(["customer", "show", "legacy-ai", "--format", "json"], environment: env)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.stdout)")
        #expect(object["name"] as? String == "Legacy\u{1B}[2J AI")
        #expect(try runChipsales(["product", "list", "--format", "csv"], environment: env).stdout.contains("BIGLOT,Big lot,2000000,1.00,USD"))
        #expect(try runChipsales(["supply", "list", "--sku", "TRN3-BOARD", "--format", "csv"], environment: env).stdout
            == "sku,week,quantity\nTRN3-BOARD,2027-W10,2000000000\n")
        #expect(try RunStore(admin).history().count == 1)
        #expect(try InvariantCheck(admin).violations() == [])
    }
}

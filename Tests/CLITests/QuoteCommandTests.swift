import Database
import Foundation
import Testing
import TestSupport

/// `order quote` and `order create --quote` through the built binary, as an
/// order-desk login holding only chipsales_app.
@Suite("Quote commands")
struct QuoteCommandTests {
    /// The story's database with a plan as of its week, and an app login's URL.
    func world() throws -> (database: TestDatabase, login: String, url: String) {
        let database = try TestDatabase.make()
        try AllocationStory.load(try database.connect())
        let login = try database.makeLogin(in: "chipsales_app")
        let url = database.url(asUser: login)
        let run = try runChipsales(["allocate", "run", "--as-of", AllocationStory.asOf.description], environment: ["DATABASE_URL": url])
        #expect(run.status == 0, "\(run.stderr)")
        return (database, login, url)
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    /// A quote's lines and displaced, for comparing two outputs.
    func answer(_ json: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: [json["lines"], json["displaced"]], options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    @Test("order quote answers per line, week by week, and whom it displaces; order create --quote prints the same; the next run confirms it")
    func quoteCreateRun() throws {
        let (database, login, url) = try world()
        defer { database.drop(); database.dropRole(login) }
        let environment = ["DATABASE_URL": url]
        let lines = ["--line", "TRN3:320:2027-W10", "--line", "TRN3:64:2027-W12"]
        let owner = try database.connect()
        let ordersBefore = try Fixtures.count("orders", owner)

        let quoted = try runChipsales(["order", "quote", "--customer", "tokyo-compute"] + lines + ["--format", "json"], environment: environment)
        #expect(quoted.status == 0, "\(quoted.stderr)")
        let quote = try object(quoted.stdout)
        #expect(quote["customer"] as? String == "tokyo-compute")
        #expect(quote["as_of"] as? String == "2027-W10")  // the current plan's week
        #expect(quote["hold"] is NSNull)
        #expect(quote["order"] == nil)
        let quoteLines = try #require(quote["lines"] as? [[String: Any]])
        #expect(quoteLines.count == 2)
        #expect(Set(quoteLines[0].keys) == ["line", "sku", "quantity", "requested_week", "confirmed", "unconfirmed"])
        #expect(quoteLines[0]["line"] as? Int == 1 && quoteLines[0]["sku"] as? String == "TRN3")
        #expect(quoteLines[0]["quantity"] as? Int == 320 && quoteLines[0]["requested_week"] as? String == "2027-W10")
        for line in quoteLines {
            let weeks = try #require(line["confirmed"] as? [[String: Any]])
            #expect(weeks.allSatisfy { Set($0.keys) == ["week", "quantity"] })
            let total = weeks.compactMap { $0["quantity"] as? Int }.reduce(0, +)
            #expect(total + (line["unconfirmed"] as? Int ?? -1) == line["quantity"] as? Int)
        }
        let firstWeeks = try #require(quoteLines[0]["confirmed"] as? [[String: Any]])
        #expect(!firstWeeks.isEmpty)
        let displaced = try #require(quote["displaced"] as? [[String: Any]])
        #expect(!displaced.isEmpty && displaced.allSatisfy { Set($0.keys) == ["customer", "quantity"] && ($0["quantity"] as? Int ?? 0) > 0 })
        #expect(try Fixtures.count("orders", owner) == ordersBefore)

        let table = try runChipsales(["order", "quote", "--customer", "tokyo-compute"] + lines, environment: environment)
        #expect(table.status == 0)
        #expect(table.stdout.contains("Quote for an order of tokyo-compute as of 2027-W10"), "\(table.stdout)")
        #expect(table.stdout.contains("Displaced: the order takes"), "\(table.stdout)")
        let csv = try runChipsales(["order", "quote", "--customer", "tokyo-compute"] + lines + ["--format", "csv"], environment: environment)
        let rows = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first == ["line", "sku", "quantity", "requested_week", "status", "week", "chips"])
        for (number, quantity) in [("1", 320), ("2", 64)] {
            #expect(rows.dropFirst().filter { $0[0] == number }.compactMap { Int($0[6]) }.reduce(0, +) == quantity)
        }

        let created = try runChipsales(
            ["order", "create", "--customer", "tokyo-compute", "--reference", "PO-Q1"] + lines + ["--quote", "--format", "json"],
            environment: environment)
        #expect(created.status == 0, "\(created.stderr)")
        let stored = try object(created.stdout)
        #expect(try answer(stored) == answer(quote))
        let orderID = try #require(stored["order"] as? Int)
        #expect(stored["reference"] as? String == "PO-Q1")
        // Entered again: already recorded, the same answer.
        let again = try runChipsales(
            ["order", "create", "--customer", "tokyo-compute", "--reference", "PO-Q1"] + lines + ["--quote", "--format", "json"],
            environment: environment)
        #expect(again.status == 0 && again.stderr.contains("already recorded"))
        #expect(try answer(object(again.stdout)) == answer(quote))

        let run = try runChipsales(["allocate", "run", "--as-of", "2027-W10"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        for line in quoteLines {
            let planned = try owner.execute(
                """
                SELECT a.week::text AS week, a.quantity FROM allocations a JOIN order_lines l ON l.id = a.order_line_id
                WHERE a.run_id = (SELECT run_id FROM current_plan) AND l.order_id = $1 AND l.line_no = $2 ORDER BY a.week
                """, [orderID, line["line"] as? Int ?? 0]
            ).map { "\(try $0.decode("week", as: String.self)) \(try $0.decode("quantity", as: Int.self))" }
            let weeks = (line["confirmed"] as? [[String: Any]] ?? []).map { "\($0["week"] as? String ?? "") \($0["quantity"] as? Int ?? 0)" }
            #expect(planned == weeks)
        }
    }

    /// The quote reads the supply plan, which the order desk's login can no
    /// longer read in this database: the order is stored all the same.
    @Test("order create --quote whose quote fails says the order is stored, exits as order quote does, and keeps the order")
    func createStoredButUnquoted() throws {
        let (database, login, url) = try world()
        defer { database.drop(); database.dropRole(login) }
        let owner = try database.connect()
        try owner.execute("REVOKE SELECT ON supply_capacity FROM chipsales_app")
        let lines = ["--line", "TRN3:320:2027-W10"]
        let quote = try runChipsales(["order", "quote", "--customer", "tokyo-compute"] + lines, environment: ["DATABASE_URL": url])
        #expect(quote.status != 0)
        let reason = quote.stderr.replacingOccurrences(of: "chipsales: ", with: "")
        let before = try Fixtures.count("orders", owner)
        let arguments = ["order", "create", "--customer", "tokyo-compute", "--reference", "PO-Q7"] + lines + ["--quote"]
        let created = try runChipsales(arguments, environment: ["DATABASE_URL": url])
        #expect(created.status == quote.status)
        #expect(try Fixtures.count("orders", owner) == before + 1)
        let id = try AllocationStory.order("PO-Q7", owner)
        #expect(created.stdout.isEmpty)
        #expect(created.stderr == "chipsales: order tokyo-compute/PO-Q7 is stored as order \(id), but it could not be quoted: \(reason)")
        // Entered again: first that it was already recorded, then the failed quote.
        let again = try runChipsales(arguments, environment: ["DATABASE_URL": url])
        #expect(again.status == quote.status)
        #expect(again.stderr == "order tokyo-compute/PO-Q7 was already recorded as order \(id); nothing changed\n" + created.stderr)
        #expect(try Fixtures.count("orders", owner) == before + 1)
    }

    @Test("a quote for a held customer confirms nothing and says why")
    func heldCustomer() throws {
        let (database, login, url) = try world()
        defer { database.drop(); database.dropRole(login) }
        let json = try runChipsales(
            ["order", "quote", "--customer", "nordic-ai", "--line", "TRN3:64:2027-W10", "--format", "json"], environment: ["DATABASE_URL": url])
        #expect(json.status == 0, "\(json.stderr)")
        let quote = try object(json.stdout)
        #expect(quote["hold"] as? String == "export compliance pending")
        let line = try #require((quote["lines"] as? [[String: Any]])?.first)
        #expect((line["confirmed"] as? [Any])?.isEmpty == true && line["unconfirmed"] as? Int == 64)
        let table = try runChipsales(["order", "quote", "--customer", "nordic-ai", "--line", "TRN3:64:2027-W10"], environment: ["DATABASE_URL": url])
        #expect(table.stdout.contains("nordic-ai is held (export compliance pending)"), "\(table.stdout)")
    }

    @Test("bad quotes exit 64 or 65 with one line naming the field, as order create does, and store nothing")
    func badQuotes() throws {
        let (database, login, url) = try world()
        defer { database.drop(); database.dropRole(login) }
        let cases: [([String], Int32, String)] = [
            (["--customer", "helios-dc"], 64, "--line"),
            (["--customer", "helios-dc", "--line", "TRN3:16:2027-W10", "--as-of", "2026-W54"], 64, "--as-of"),
            (["--customer", "helios-dc", "--line", "TRN3:16:2027-W10", "--format", "xml"], 64, "--format"),
            (["--customer", "helios-dc", "--line", "TRN3:20:2027-W10"], 65, "quote for helios-dc line 1: quantity 20 is not a whole number of lots of TRN3 (lot size 16)"),
            (["--customer", "helios-dc", "--line", "TRN3:abc:2027-W10"], 64, "line 1: quantity"),
            (["--customer", "helios-dc", "--line", "TRN3:16:2027-W60"], 64, "line 1: week"),
            (["--customer", "helios-dc", "--line", "TRN3:16:2026-W01"], 65, "quote for helios-dc line 1: week 2026-W01 is in the past"),
            (["--customer", "helios-dc", "--line", "NOPE:16:2027-W10"], 65, "quote for helios-dc line 1: sku NOPE is not a known product"),
            (["--customer", "atlantis", "--line", "TRN3:16:2027-W10"], 65, "quote for atlantis: customer atlantis is not a known customer"),
            (["--customer", "Helios", "--line", "TRN3:16:2027-W10"], 65, "quote for helios: customer helios is not a known customer"),
            (["--customer", "helios dc", "--line", "TRN3:16:2027-W10"], 64, "customer"),
        ]
        let owner = try database.connect()
        let counts = try ["orders", "order_lines", "allocation_runs"].map { try Fixtures.count($0, owner) }
        for (arguments, status, fragment) in cases {
            let output = try runChipsales(["order", "quote"] + arguments, environment: ["DATABASE_URL": url])
            #expect(output.status == status, "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains(fragment), "\(arguments): \(output.stderr)")
            if status == 65 { #expect(output.stderr.split(separator: "\n").count == 1, "\(arguments): \(output.stderr)") }
        }
        #expect(try ["orders", "order_lines", "allocation_runs"].map { try Fixtures.count($0, owner) } == counts)
    }
}

import Database
import Foundation
import Testing
import TestSupport

/// The order desk's rules through the built binary, run by a login that
/// holds only `chipsales_app`, as an operator would.
@Suite("Order desk commands")
struct OrderDeskCommandTests {
    let w1 = Weeks.text(1), past = Weeks.text(-1)

    /// A seeded database and an app login's URL to it.
    struct Desk {
        let database: TestDatabase
        let login: String
        var environment: [String: String] { ["DATABASE_URL": database.url(asUser: login)] }
        func drop() { database.drop(); database.dropRole(login) }
        func run(_ arguments: String...) throws -> CommandOutput { try run(arguments) }
        func run(_ arguments: [String]) throws -> CommandOutput { try runChipsales(arguments, environment: environment) }
    }

    func desk() throws -> Desk {
        let database = try TestDatabase.make()
        try Fixtures.seed(try database.connect())
        return Desk(database: database, login: try database.makeLogin(in: "chipsales_app"))
    }

    @Test("a value typed on the command line that cannot be read exits 64, wherever it is typed; a value refused by the data exits 65")
    func exitCodes() throws {
        let desk = try desk()
        defer { desk.drop() }
        let create = ["order", "create", "--customer", "helios-dc", "--reference", "PO-X", "--line"]
        let cases: [([String], Int32, String)] = [
            (create + ["TRN3:16:2026-W54"], 64, "week must be an ISO week like 2026-W49 (got \"2026-W54\")"),
            (["supply", "set", "--sku", "TRN3", "--week", "2026-W54", "--quantity", "16"], 64, "--week"),
            (create + ["TRN3:sixteen:\(w1)"], 64, "quantity must be a whole number of chips"),
            (create + ["TRN3:16:\(w1):1e9"], 64, "unit price must be a decimal number"),
            (create + ["TRN3-16-\(w1)"], 64, "must be SKU:QUANTITY:WEEK"),
            (create + ["TR N3:16:\(w1)"], 64, "(got \"TR N3\")"),
            (["order", "create", "--customer", "helios dc", "--reference", "PO-X", "--line", "TRN3:16:\(w1)"], 64, "(got \"helios dc\")"),
            (["order", "amend", "1", "--line", "1", "--week", "2026-W54", "--reason", "moved"], 64, "--week"),
            (["order", "list", "--sku", "TR N3"], 64, "--sku"),
            (create + ["TRN3:17:\(w1)"], 65, "not a whole number of lots"),
            (create + ["TRN3:16:\(past)"], 65, "is in the past"),
            (create + ["TRN9:16:\(w1)"], 65, "TRN9 is not a known product (did you mean TRN3?)"),
            (["order", "create", "--customer", "helios-cd", "--reference", "PO-X", "--line", "TRN3:16:\(w1)"], 65, "(did you mean helios-dc?)"),
            (["supply", "set", "--sku", "TRN33", "--week", w1, "--quantity", "16"], 65, "product TRN33 does not exist (did you mean TRN3?)"),
            (["customer", "set", "helios-dc", "--minimum", "TRN3=100"], 65, "100 is not a whole number of lots of TRN3"),
            (["product", "add", "--sku", "X1", "--name", "x", "--lot-size", "1", "--unit-price", "1", "--currency", "XYZ"], 65, "not an ISO 4217"),
            (["order", "import", "/nonexistent/orders.csv"], 66, "cannot read /nonexistent/orders.csv: No such file or directory"),
        ]
        for (arguments, status, fragment) in cases {
            let output = try runChipsales(arguments, environment: desk.environment)
            #expect(output.status == status, "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains(fragment), "\(arguments): \(output.stderr)")
        }
        let connection = try desk.database.connect()
        #expect(try Fixtures.count("orders", connection) == 0)
        #expect(try Fixtures.count("supply_capacity", connection) == 0)
        #expect(try Fixtures.count("customer_contracts", connection) == 0)
        #expect(try Fixtures.count("products", connection) == 3)
    }

    @Test("case and spacing are accepted and normalised: trn3, 2026-w50, de, HELIOS-DC")
    func normalised() throws {
        let desk = try desk()
        defer { desk.drop() }
        let created = try desk.run("order", "create", "--customer", " HELIOS-DC", "--reference", " PO-N ", "--line", " trn3:016:\(w1.lowercased()) ", "--format", "json")
        #expect(created.status == 0, "\(created.stderr)")
        let order = try #require(try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])
        #expect(order["customer"] as? String == "helios-dc" && order["reference"] as? String == "PO-N")
        let line = try #require((order["lines"] as? [[String: Any]])?.first)
        #expect(line["sku"] as? String == "TRN3" && line["quantity"] as? Int == 16 && line["week"] as? String == w1)
        #expect(try desk.run("customer", "add", "--id", "Berlin-AI", "--name", "Berlin AI", "--country", "de").status == 0)
        #expect(try desk.run("customer", "show", "berlin-ai", "--format", "csv").stdout.contains("berlin-ai,Berlin AI,DE"))
        #expect(try desk.run("supply", "set", "--sku", "trn3", "--week", w1.lowercased(), "--quantity", "160").status == 0)
        #expect(try desk.run("supply", "list", "--sku", "trn3", "--format", "csv").stdout == "sku,week,quantity\nTRN3,\(w1),160\n")
        #expect(try desk.run("order", "list", "--customer", "Helios-DC", "--sku", "trn3", "--format", "csv").stdout.contains(",PO-N,"))
    }

    @Test("CSV output neutralises text that a spreadsheet would run as a formula")
    func formulaInjection() throws {
        let desk = try desk()
        defer { desk.drop() }
        // A tab or carriage return is refused at entry, as every control character is.
        let tab = try desk.run("order", "create", "--customer", "helios-dc", "--reference", "PO\t=1+1", "--line", "TRN3:16:\(w1)")
        #expect(tab.status == 65 && tab.stderr.contains("must not contain control characters"), "\(tab.stderr)")
        let file = try Fixtures.file("orders.csv", """
            customer,reference,line,sku,quantity,week
            helios-dc,"=HYPERLINK(""http://x"",""y"")",1,TRN3,16,\(w1)
            helios-dc,+SUM(A1),1,TRN3,16,\(w1)
            helios-dc,-2+3,1,TRN3,16,\(w1)
            helios-dc,@cmd,1,TRN3,16,\(w1)

            """)
        let imported = try desk.run("order", "import", file)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try desk.run("customer", "add", "--id", "formula", "--name", "=1+1", "--country", "US").status == 0)
        let listed = try desk.run("order", "list", "--format", "csv").stdout
        #expect(listed.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","), "\(listed)")
        #expect(listed.contains(",\"'+SUM(A1)\",") && listed.contains(",\"'-2+3\",") && listed.contains(",\"'@cmd\","), "\(listed)")
        #expect(!listed.contains(",=") && !listed.contains(",+") && !listed.contains(",@"), "\(listed)")
        let customers = try desk.run("customer", "list", "--format", "csv").stdout
        #expect(customers.contains("formula,\"'=1+1\",US"), "\(customers)")
        // Numbers stay numbers, and JSON shows the text as it is.
        let stock = try desk.run("inventory", "show", "--format", "csv").stdout
        #expect(stock.contains("TRN3,Trainium3,16,0,0,0,0"))
        let json = try desk.run("order", "list", "--format", "json").stdout
        #expect(json.contains("\"reference\": \"@cmd\""))
    }

    @Test("order list says when it left orders out, and --offset shows the next page")
    func truncation() throws {
        let desk = try desk()
        defer { desk.drop() }
        let rows = (1...5).map { "helios-dc,PO-\($0),1,TRN3,16,\(w1)" }
        let file = try Fixtures.file("orders.csv", (["customer,reference,line,sku,quantity,week"] + rows).joined(separator: "\n"))
        #expect(try desk.run("order", "import", file).status == 0)
        let first = try desk.run("order", "list", "--limit", "2", "--format", "csv")
        #expect(first.status == 0)
        #expect(first.stdout.split(separator: "\n").count == 3)
        #expect(first.stderr == "showing 2 of 5 (orders 1 to 2); use --limit/--offset for others\n")
        let next = try desk.run("order", "list", "--limit", "2", "--offset", "4", "--format", "csv")
        #expect(next.stdout.split(separator: "\n").count == 2 && next.stdout.contains(",PO-1,"))
        #expect(next.stderr.contains("showing 1 of 5 (orders 5 to 5)"))
        let all = try desk.run("order", "list")
        #expect(all.stderr.isEmpty)
    }

    @Test("inventory show --movements and allocate history say when --limit left records out, and not otherwise")
    func newestFirstListingsSayWhenTruncated() throws {
        let desk = try desk()
        defer { desk.drop() }
        for quantity in ["16", "32", "48"] {
            #expect(try desk.run("inventory", "receive", "--sku", "TRN3", "--quantity", quantity).status == 0)
        }
        #expect(try desk.run("inventory", "receive", "--sku", "TRN3-BOARD", "--quantity", "64").status == 0)
        let two = try desk.run("inventory", "show", "--sku", "TRN3", "--movements", "--limit", "2", "--format", "csv")
        #expect(two.status == 0)
        #expect(two.stdout.split(separator: "\n").count == 3)
        #expect(two.stderr == "showing the newest 2 of 3 movements of TRN3; use --limit for more\n")
        let none = try desk.run("inventory", "show", "--movements", "--limit", "0")
        #expect(none.stderr == "showing none of 4 movements; use --limit for more\n")
        let all = try desk.run("inventory", "show", "--sku", "TRN3", "--movements", "--limit", "3")
        #expect(all.status == 0 && all.stderr.isEmpty)
        #expect(try desk.run("allocate", "run", "--as-of", w1).status == 0)
        #expect(try desk.run("allocate", "run", "--as-of", w1).status == 0)
        let runs = try desk.run("allocate", "history", "--limit", "1", "--format", "csv")
        #expect(runs.stdout.split(separator: "\n").count == 2)
        #expect(runs.stderr == "showing the newest 1 of 2 runs; use --limit for more\n")
        #expect(try desk.run("allocate", "history").stderr.isEmpty)
    }

    @Test("every CSV listing's header names each column once (order show: order_status for the order, status for the line)")
    func csvHeadersNameColumnsOnce() throws {
        let desk = try desk()
        defer { desk.drop() }
        let file = try Fixtures.file("orders.csv", "customer,reference,line,sku,quantity,week\nhelios-dc,PO-1,1,TRN3,16,\(w1)\n")
        #expect(try desk.run("order", "import", file).status == 0)
        #expect(try desk.run("inventory", "receive", "--sku", "TRN3", "--quantity", "16").status == 0)
        #expect(try desk.run("allocate", "run", "--as-of", w1).status == 0)
        let commands: [[String]] = [
            ["order", "show", "1"], ["order", "list"], ["order", "confirmations", "--customer", "helios-dc"], ["customer", "list"], ["product", "list"],
            ["inventory", "show"], ["inventory", "show", "--movements"], ["allocate", "history"], ["supply", "list"],
        ]
        for command in commands {
            let output = try desk.run(command + ["--format", "csv"])
            #expect(output.status == 0, "\(command): \(output.stderr)")
            let header = output.stdout.split(separator: "\n").first.map { $0.split(separator: ",").map(String.init) } ?? []
            #expect(!header.isEmpty && Set(header).count == header.count, "\(command): \(header)")
        }
        let show = try desk.run("order", "show", "1", "--format", "csv").stdout
        #expect(show.hasPrefix("order_id,customer,reference,order_status,line,"), "\(show)")
    }

    @Test("order import refuses past weeks for new orders unless --allow-past-weeks migrates history")
    func allowPastWeeks() throws {
        let desk = try desk()
        defer { desk.drop() }
        let file = try Fixtures.file("history.csv", "customer,reference,line,sku,quantity,week\nhelios-dc,OLD-1,1,TRN3,16,\(past)\n")
        let refused = try desk.run("order", "import", file)
        #expect(refused.status == 65 && refused.stderr.contains("\(past) is in the past"), "\(refused.stderr)")
        let migrated = try desk.run("order", "import", "--allow-past-weeks", file)
        #expect(migrated.status == 0 && migrated.stdout.contains("Imported 1 order"), "\(migrated.stderr)")
        let again = try desk.run("order", "import", file)
        #expect(again.status == 0 && again.stdout.contains("1 already recorded"), "\(again.stderr)")
    }

    @Test("order amend refuses to re-open a cancelled line and moves a line's week")
    func amend() throws {
        let desk = try desk()
        defer { desk.drop() }
        let created = try desk.run("order", "create", "--customer", "helios-dc", "--reference", "PO-A", "--line", "TRN3:64:\(w1)", "--format", "json")
        let id = String(try #require((try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])?["id"] as? Int))
        #expect(try desk.run("order", "cancel", id, "--line", "1", "--reason", "gone").status == 0)
        let reopen = try desk.run("order", "amend", id, "--line", "1", "--quantity", "128", "--reason", "more")
        #expect(reopen.status == 65 && reopen.stderr.contains("cannot be re-opened"), "\(reopen.stderr)")
        #expect(try desk.run("order", "amend", id, "--line", "1", "--reason", "nothing").status == 64)
        let other = try desk.run("order", "create", "--customer", "helios-dc", "--reference", "PO-B", "--line", "TRN3:64:\(w1)", "--format", "json")
        let otherID = String(try #require((try JSONSerialization.jsonObject(with: Data(other.stdout.utf8)) as? [String: Any])?["id"] as? Int))
        let moved = try desk.run("order", "amend", otherID, "--line", "1", "--week", Weeks.text(3).lowercased(), "--reason", "later", "--format", "csv")
        #expect(moved.status == 0 && moved.stdout.contains(",\(Weeks.text(3)),"), "\(moved.stderr)")
    }
}

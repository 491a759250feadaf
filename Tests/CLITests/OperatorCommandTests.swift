import Foundation
import Testing
import TestSupport

/// The operator CLI end to end, through the built binary, as an order-desk
/// operator uses it.
@Suite("Operator commands")
struct OperatorCommandTests {
    /// Next week and the week after: orders are for this week or later.
    let w1 = Weeks.text(1), w2 = Weeks.text(2)

    /// Runs chipsales against `database`, failing the test on a crash.
    func run(_ database: TestDatabase, _ arguments: String...) throws -> CommandOutput {
        try runChipsales(arguments, environment: ["DATABASE_URL": database.url])
    }

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    func seeded() throws -> TestDatabase {
        let database = try TestDatabase.make()
        try Fixtures.seed(try database.connect())
        return database
    }

    @Test("products and customers: add, list and show in table, CSV and JSON")
    func catalogue() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let added = try run(database, "product", "add", "--sku", "TRN3", "--name", "Trainium3", "--lot-size", "16", "--unit-price", "9800.00", "--currency", "USD")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try run(database, "customer", "add", "--id", "helios-dc", "--name", "Hélios Data Centers", "--country", "DE", "--tier", "2", "--weight", "1.5").status == 0)
        #expect(try run(database, "customer", "add", "--id", "aws-cloud", "--name", "Our cloud", "--country", "US", "--internal").status == 0)
        let set = try run(database, "customer", "set", "helios-dc", "--minimum", "TRN3=256", "--maximum", "TRN3=4096", "--hold")
        #expect(set.status == 0, "\(set.stderr)")

        let products = try #require(try json(run(database, "product", "list", "--format", "json").stdout) as? [[String: Any]])
        #expect(products.first?["sku"] as? String == "TRN3")
        #expect(products.first?["unit_price"] as? String == "9800.00")
        let csv = try run(database, "product", "list", "--format", "csv").stdout
        #expect(csv.hasPrefix("sku,name,lot_size,unit_price,currency\nTRN3,Trainium3,16,9800.00,USD"))
        let customer = try #require(try json(run(database, "customer", "show", "helios-dc", "--format", "json").stdout) as? [String: Any])
        #expect(customer["name"] as? String == "Hélios Data Centers")
        #expect(customer["weight"] as? String == "1.5")
        #expect(customer["credit_hold"] as? Bool == true)
        #expect(customer["minimums"] as? String == "TRN3=256")
        let table = try run(database, "customer", "list").stdout
        #expect(table.contains("aws-cloud") && table.contains("helios-dc"))
    }

    @Test("bad values exit 64 or 65 with one line naming the field, and store nothing")
    func badInput() throws {
        let database = try seeded()
        defer { database.drop() }
        let cases: [([String], Int32, String)] = [
            (["product", "add", "--sku", "X1", "--name", "x", "--lot-size", "sixteen", "--unit-price", "1"], 64, "--lot-size"),
            (["product", "add", "--sku", "X1", "--name", "x", "--lot-size", "16", "--unit-price", "1e3"], 64, "--unit-price"),
            (["product", "add", "--sku", "x 1", "--name", "x", "--lot-size", "16", "--unit-price", "1"], 64, "sku"),
            // A negative number is read as a number (out of range: 65), with or without `=`.
            (["product", "add", "--sku", "X1", "--name", "x", "--lot-size", "-16", "--unit-price", "1"], 65, "product X1: lot size must be at least 1 (got -16)"),
            (["product", "add", "--sku", "X1", "--name", "x", "--lot-size", "16", "--unit-price", "-1"], 65, "product X1: unit price must not be negative (got -1)"),
            (["supply", "set", "--sku", "TRN3", "--week", "2026-W50", "--quantity", "-1"], 65, "quantity must be at least 0 (got -1)"),
            (["inventory", "receive", "--sku", "TRN3", "--quantity", "-16"], 65, "receipt of TRN3: quantity must be between 1 and"),
            (["customer", "add", "--id", "neg", "--name", "N", "--country", "DE", "--tier", "-1"], 65, "customer neg: tier must be between 1 and 9 (got -1)"),
            (["customer", "add", "--id", "neg", "--name", "N", "--country", "DE", "--weight", "-1"], 65, "customer neg: weight must be greater than 0"),
            (["policy", "set", "--frozen-weeks", "-1"], 65, "policy: frozen weeks must be between 0 and 52 (got -1)"),
            (["policy", "set", "--internal-floor", "-0.5"], 65, "policy: internal floor must be between 0 and 1 (got -0.5)"),
            (["order", "ship", "1", "--line", "1", "--quantity", "-16"], 65, "quantity must be between 1 and"),
            (["order", "amend", "1", "--line", "-1", "--quantity", "16", "--reason", "x"], 65, "order 1"),
            (["customer", "add", "--id", "atlantis", "--name", "A", "--country", "XA"], 65, "country"),
            (["customer", "add", "--id", "big", "--name", "B", "--country", "DE", "--weight", "0"], 65, "weight"),
            (["customer", "set", "nobody", "--tier", "2"], 65, "customer nobody does not exist"),
            (["customer", "set", "helios-dc"], 64, "nothing to change"),
            (["supply", "set", "--sku", "TRN3", "--week", "2026-W54", "--quantity", "1"], 64, "--week"),
            (["supply", "set", "--sku", "TRN3", "--week", "2026-W50", "--quantity=-1"], 65, "quantity"),
            (["inventory", "adjust", "--sku", "TRN3", "--quantity", "-32", "--reason", "count"], 65, "negative"),
            (["order", "create", "--customer", "helios-dc", "--reference", "PO-1", "--line", "TRN3:20:\(w1)"], 65, "lot size 16"),
            (["order", "create", "--customer", "helios-dc", "--reference", "PO-1", "--line", "TRN3:abc:\(w1)"], 64, "quantity"),
            (["order", "create", "--customer", "helios-dc", "--reference", "PO-1"], 64, "--line"),
            (["order", "show", "424242"], 65, "order 424242 does not exist"),
            (["order", "ship", "abc", "--line", "1", "--quantity", "16"], 64, "abc"),
            // More digits than the policy holds would be rounded away: refused, as a weight's are.
            (["policy", "set", "--internal-floor", "0.1234567"], 65, "policy: internal floor must have at most 6 decimal places (got 0.1234567)"),
        ]
        for (arguments, status, fragment) in cases {
            let output = try runChipsales(arguments, environment: ["DATABASE_URL": database.url])
            #expect(output.status == status, "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains(fragment), "\(arguments): \(output.stderr)")
            if status == 65 {
                #expect(output.stderr.split(separator: "\n").count == 1, "\(arguments): \(output.stderr)")
            }
        }
        let connection = try database.connect()
        #expect(try Fixtures.count("products", connection) == 3)
        #expect(try Fixtures.count("customers", connection) == 4)
        #expect(try Fixtures.count("orders", connection) == 0)
        #expect(try Fixtures.count("supply_capacity", connection) == 0)
        #expect(try Fixtures.count("inventory_movements", connection) == 0)
        #expect(try Fixtures.count("allocation_policies", connection) == 1)
    }

    @Test("order entry is idempotent: a repeat exits 0 and says so, other content exits 65 with the differences")
    func orderEntry() throws {
        let database = try seeded()
        defer { database.drop() }
        let create = ["order", "create", "--customer", "helios-dc", "--reference", "PO-7781", "--line", "TRN3:512:\(w1)", "--line", "TRN3-BOARD:64:\(w2)", "--format", "json"]
        let first = try runChipsales(create, environment: ["DATABASE_URL": database.url])
        #expect(first.status == 0, "\(first.stderr)")
        let order = try #require(try json(first.stdout) as? [String: Any])
        let id = try #require(order["id"] as? Int)
        #expect((order["lines"] as? [[String: Any]])?.count == 2)
        let again = try runChipsales(create, environment: ["DATABASE_URL": database.url])
        #expect(again.status == 0)
        #expect(again.stderr.contains("already recorded as order \(id)"))
        #expect((try json(again.stdout) as? [String: Any])?["id"] as? Int == id)
        let other = try run(database, "order", "create", "--customer", "helios-dc", "--reference", "PO-7781", "--line", "TRN3:528:\(w1)")
        #expect(other.status == 65)
        #expect(other.stderr.contains("line 1 quantity: recorded 512, entered 528"))
        #expect(other.stderr.contains("line 2: recorded, not entered"))
    }

    @Test("an order's life through the CLI: ship, amend, cancel, and show with its audit trail")
    func orderLifecycle() throws {
        let database = try seeded()
        defer { database.drop() }
        let created = try run(database, "order", "create", "--customer", "helios-dc", "--reference", "PO-9", "--line", "TRN3:512:\(w1)", "--line", "TRN3:64:\(w2)", "--format", "json")
        let id = String(try #require((try json(created.stdout) as? [String: Any])?["id"] as? Int))
        #expect(try run(database, "inventory", "receive", "--sku", "TRN3", "--quantity", "300", "--note", "fab lot 7").status == 0)
        // No allocation run here: nothing is due, so shipping goes beyond the plan, with a reason.
        let tooMuch = try run(database, "order", "ship", id, "--line", "1", "--quantity", "320", "--beyond-plan", "--reason", "samples")
        #expect(tooMuch.status == 65 && tooMuch.stderr.contains("on hand"))
        #expect(try run(database, "order", "ship", id, "--line", "1", "--quantity", "256", "--beyond-plan", "--reason", "samples").status == 0)
        let below = try run(database, "order", "amend", id, "--line", "1", "--quantity", "128", "--reason", "fewer")
        #expect(below.status == 65 && below.stderr.contains("shipped"))
        #expect(try run(database, "order", "amend", id, "--line", "1", "--quantity", "384", "--reason", "customer re-plan").status == 0)
        #expect(try run(database, "order", "cancel", id, "--line", "2", "--reason", "re-planned").status == 0)
        let shippedLine = try run(database, "order", "cancel", id, "--line", "2", "--reason", "again")
        #expect(shippedLine.status == 65)
        let shown = try #require(try json(run(database, "order", "show", id, "--format", "json").stdout) as? [String: Any])
        #expect(shown["status"] as? String == "partially_shipped")
        let events = try #require(shown["events"] as? [[String: Any]])
        #expect(events.map { $0["action"] as? String } == ["created", "shipped", "amended", "cancelled"])
        #expect(events[3]["reason"] as? String == "re-planned")
        let listed = try #require(try json(run(database, "order", "list", "--status", "partially_shipped", "--format", "json").stdout) as? [[String: Any]])
        #expect(listed.map { $0["id"] as? Int } == [Int(id)])
        let stock = try run(database, "inventory", "show", "--format", "csv").stdout
        #expect(stock.contains("TRN3,Trainium3,16,44,300,256,0"))
    }

    @Test("supply and order imports: clean files load, bad ones report every row and store nothing")
    func imports() throws {
        let database = try seeded()
        defer { database.drop() }
        let supply = try Fixtures.file("supply.csv", "sku,week,quantity\nTRN3,2026-W49,40000\nTRN3,2026-W50,41000\n")
        let loaded = try run(database, "supply", "import", supply)
        #expect(loaded.status == 0 && loaded.stdout.contains("Imported 2 supply rows"))
        let listed = try run(database, "supply", "list", "--sku", "TRN3", "--from", "2026-W50", "--format", "csv").stdout
        #expect(listed == "sku,week,quantity\nTRN3,2026-W50,41000\n")
        let orders = try Fixtures.file("orders.csv", "customer,reference,line,sku,quantity,week\nhelios-dc,PO-1,1,TRN3,512,\(w1)\nhelios-dc,PO-1,2,TRN3,32,\(w2)\n")
        let first = try run(database, "order", "import", orders)
        #expect(first.status == 0 && first.stdout.contains("Imported 1 order with 2 lines"))
        let second = try run(database, "order", "import", orders)
        #expect(second.status == 0 && second.stdout.contains("Imported 0 orders") && second.stdout.contains("1 already recorded"))
        let bad = try Fixtures.file("bad.csv", "customer,reference,line,sku,quantity,week\nhelios-dc,PO-2,1,TRN3,17,\(w1)\nnobody,PO-3,1,TRN3,16,\(w1)\n")
        let refused = try run(database, "order", "import", bad)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("line 2: quantity") && refused.stderr.contains("line 3: customer"))
        #expect(try Fixtures.count("orders", try database.connect()) == 1)
        let missing = try run(database, "order", "import", "/nonexistent/orders.csv")
        #expect(missing.status == 66 && missing.stderr.contains("cannot read /nonexistent/orders.csv: No such file or directory"))
    }

    @Test("every command that takes data shows an example in --help", arguments: [
        ["product", "add"], ["customer", "add"], ["customer", "set"], ["supply", "set"], ["supply", "import"],
        ["inventory", "receive"], ["inventory", "adjust"], ["order", "create"], ["order", "import"], ["order", "amend"],
        ["order", "cancel"], ["order", "ship"], ["order", "show"], ["allocate", "simulate"], ["allocate", "generate-scenario"],
    ])
    func helpShowsExample(command: [String]) throws {
        let output = try runChipsales(command + ["--help"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("Example"), "\(command)")
        #expect(output.stdout.contains("chipsales \(command.joined(separator: " "))"), "\(command)")
    }
}

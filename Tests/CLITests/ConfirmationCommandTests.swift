#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation
import Testing
import TestSupport

/// Confirmations on every order line, through the built binary, as an
/// order-desk login holding only `chipsales_app`.
@Suite("Order confirmations")
struct ConfirmationCommandTests {
    /// A database, an app login, and that login's environment.
    struct Desk {
        let database: TestDatabase
        let login: String
        var environment: [String: String] { ["DATABASE_URL": database.url(asUser: login)] }

        func run(_ arguments: String...) throws -> CommandOutput {
            let output = try runChipsales(arguments, environment: environment)
            #expect(output.status == 0, "\(arguments.joined(separator: " ")): \(output.stderr)")
            return output
        }

        func json(_ arguments: String...) throws -> Any {
            let output = try runChipsales(arguments, environment: environment)
            #expect(output.status == 0, "\(arguments.joined(separator: " ")): \(output.stderr)")
            return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        }

        func drop() {
            database.drop()
            database.dropRole(login)
        }
    }

    /// The plan's first week (next week: order entry refuses past weeks) and the one after.
    static let w0 = Weeks.text(1)
    static let w1 = Weeks.text(2)

    /// Two runs with changes between them, so that helios-dc has one line of
    /// each kind: PO-H1 (TRN3) worse, as a tier-1 buyer's new order takes its
    /// week; PO-S1 (server) unchanged; PO-B1 (board) better, with a new week
    /// of board supply; PO-H3 new, entered after the first run. Other buyers
    /// (aws-cloud, tokyo-compute, nordic-ai) hold lines of the same SKUs.
    func twoRuns() throws -> Desk {
        let database = try TestDatabase.make()
        try Fixtures.seed(try database.connect())
        let desk = Desk(database: database, login: try database.makeLogin(in: "chipsales_app"))
        _ = try desk.run("supply", "set", "--sku", "TRN3", "--week", "\(Self.w0)", "--quantity", "160")
        _ = try desk.run("supply", "set", "--sku", "TRN3", "--week", "\(Self.w1)", "--quantity", "64")
        _ = try desk.run("supply", "set", "--sku", "TRN3-SERVER", "--week", "\(Self.w0)", "--quantity", "256")
        _ = try desk.run("supply", "set", "--sku", "TRN3-BOARD", "--week", "\(Self.w0)", "--quantity", "64")
        for (customer, reference, line) in [
            ("helios-dc", "PO-H1", "TRN3:160:\(Self.w0)"), ("aws-cloud", "AC-1", "TRN3:64:\(Self.w1)"),
            ("nordic-ai", "PO-N1", "TRN3:128:\(Self.w0)"), ("helios-dc", "PO-S1", "TRN3-SERVER:256:\(Self.w0)"),
            ("helios-dc", "PO-B1", "TRN3-BOARD:128:\(Self.w0)"),
        ] {
            _ = try desk.run("order", "create", "--customer", customer, "--reference", reference, "--line", line)
        }
        _ = try desk.run("policy", "set", "--frozen-weeks", "0")
        _ = try desk.run("allocate", "run", "--as-of", "\(Self.w0)")
        _ = try desk.run("supply", "set", "--sku", "TRN3-BOARD", "--week", "\(Self.w1)", "--quantity", "64")
        _ = try desk.run("order", "create", "--customer", "tokyo-compute", "--reference", "PO-T2", "--line", "TRN3:160:\(Self.w0)")
        _ = try desk.run("order", "create", "--customer", "helios-dc", "--reference", "PO-H3", "--line", "TRN3-SERVER:256:\(Self.w0)")
        _ = try desk.run("allocate", "run", "--as-of", "\(Self.w0)")
        return desk
    }

    /// Words and figures a buyer's confirmation must never carry: other
    /// buyers, and the policy's or the plant's numbers.
    static let forbidden = [
        "aws-cloud", "tokyo-compute", "nordic-ai", "Our cloud", "Nordic AI", "東京コンピュート", "PO-T2", "AC-1", "PO-N1",
        "tier", "weight", "floor", "supply", "stock", "on hand", "1.5", "internal",
    ]

    @Test("a customer's confirmations after two runs show new, better, worse and unchanged lines with the previous figures")
    func changes() throws {
        let desk = try twoRuns()
        defer { desk.drop() }
        let document = try #require(try desk.json("order", "confirmations", "--customer", "helios-dc", "--format", "json") as? [String: Any])
        #expect(Set(document.keys) == ["customer", "run", "as_of", "lines"])
        #expect(document["customer"] as? String == "helios-dc")
        #expect(document["run"] as? Int == 2)
        #expect(document["as_of"] as? String == "\(Self.w0)")
        let lines = try #require(document["lines"] as? [[String: Any]])
        #expect(lines.map { $0["reference"] as? String } == ["PO-H1", "PO-S1", "PO-B1", "PO-H3"])
        for line in lines {
            #expect(Set(line.keys) == [
                "order", "reference", "line", "sku", "quantity", "requested_week", "confirmed", "unconfirmed", "change",
                "previous_confirmed",
            ])
        }
        func line(_ reference: String) throws -> [String: Any] { try #require(lines.first { $0["reference"] as? String == reference }) }
        func weeks(_ line: [String: Any]) -> [String] {
            (line["confirmed"] as? [[String: Any]] ?? []).map { "\($0["week"] as? String ?? "?"):\($0["quantity"] as? Int ?? -1)" }
        }

        let worse = try line("PO-H1")
        #expect(worse["change"] as? String == "worse")
        #expect(worse["previous_confirmed"] as? Int == 160)
        #expect(weeks(worse).isEmpty && worse["unconfirmed"] as? Int == 160)
        #expect(worse["sku"] as? String == "TRN3" && worse["quantity"] as? Int == 160 && worse["requested_week"] as? String == "\(Self.w0)")

        let unchanged = try line("PO-S1")
        #expect(unchanged["change"] as? String == "unchanged")
        #expect(unchanged["previous_confirmed"] as? Int == 256)
        #expect(weeks(unchanged) == ["\(Self.w0):256"] && unchanged["unconfirmed"] as? Int == 0)

        let better = try line("PO-B1")
        #expect(better["change"] as? String == "better")
        #expect(better["previous_confirmed"] as? Int == 64)
        #expect(weeks(better) == ["\(Self.w0):64", "\(Self.w1):64"] && better["unconfirmed"] as? Int == 0)

        let new = try line("PO-H3")
        #expect(new["change"] as? String == "new")
        #expect(new["previous_confirmed"] is NSNull)
        #expect(weeks(new).isEmpty && new["unconfirmed"] as? Int == 256)

        // The table and CSV carry the same lines.
        let table = try desk.run("order", "confirmations", "--customer", "helios-dc").stdout
        #expect(table.contains("plan of \(Self.w0) (run 2)"))
        #expect(table.contains("\(Self.w0):64 \(Self.w1):64") && table.contains("worse") && table.contains("unchanged"))
        let csv = try desk.run("order", "confirmations", "--customer", "helios-dc", "--format", "csv").stdout
        #expect(csv.hasPrefix("customer,run,as_of,order,reference,line,sku,quantity,requested_week,open,confirmed_total,confirmed,unconfirmed,change,previous_confirmed\n"))
        #expect(csv.contains(",PO-B1,1,TRN3-BOARD,128,\(Self.w0),128,128,\(Self.w0):64 \(Self.w1):64,0,better,64"))
        #expect(csv.contains(",PO-H3,1,TRN3-SERVER,256,\(Self.w0),256,0,,256,new,"))
        for text in [table, csv] {
            for word in Self.forbidden { #expect(!text.contains(word), "\(word) in \(text)") }
        }
    }

    @Test("the confirmation page and JSON name no other customer and no tier, weight, floor, supply or stock figure")
    func revealsNothingElse() throws {
        let desk = try twoRuns()
        defer { desk.drop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("confirm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("helios-dc.html").path
        // The buyer's own text is escaped, never markup.
        _ = try desk.run("order", "create", "--customer", "helios-dc", "--reference", "PO-<b>&\"9", "--line", "TRN3:16:\(Self.w1)")
        let written = try desk.run("order", "confirmations", "--customer", "helios-dc", "--format", "html", "--output", file)
        #expect(written.stdout.isEmpty && written.stderr.contains("5 open lines, run 2"))
        let page = try String(contentsOfFile: file, encoding: .utf8)
        let json = try desk.run("order", "confirmations", "--customer", "helios-dc", "--format", "json").stdout
        for text in [page, json] {
            for word in Self.forbidden {
                #expect(!text.localizedCaseInsensitiveContains(word), "\(word) appears")
            }
        }
        // The buyer's own lines and name are there.
        #expect(page.contains("Helios Data Centers") && page.contains("PO-B1") && page.contains("\(Self.w1): 64"))
        #expect(page.contains("worse: 0 confirmed, was 160") && page.contains("new line"))
        #expect(page.contains("PO-&lt;b&gt;&amp;&quot;9") && !page.contains("<b>"))
        // One self-contained, well-formed page: no scripts or network resources.
        #expect(!page.replacingOccurrences(of: "http://www.w3.org/1999/xhtml", with: "").contains("http"))
        #expect(!page.contains("<script") && !page.contains("<link") && !page.contains("src=") && !page.contains("url("))
        #expect(page.contains("@media print"))
        let parser = XMLParser(data: Data(page.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
    }

    @Test("order show gives each line's confirmed weeks and unconfirmed rest; order list gives confirmed totals and first weeks")
    func showAndList() throws {
        let desk = try twoRuns()
        defer { desk.drop() }
        let orders = try #require(try desk.json("order", "list", "--customer", "helios-dc", "--format", "json") as? [[String: Any]])
        let board = try #require(orders.first { $0["reference"] as? String == "PO-B1" })
        #expect(board["confirmed"] as? Int == 128)
        #expect(board["first_confirmed_week"] as? String == "\(Self.w0)")
        let new = try #require(orders.first { $0["reference"] as? String == "PO-H3" })
        #expect(new["confirmed"] as? Int == 0)
        #expect(new["first_confirmed_week"] is NSNull)
        let listed = try desk.run("order", "list").stdout
        #expect(listed.contains("CONFIRMED") && listed.contains("FIRST CONFIRMED WEEK"))

        let id = try #require(board["id"] as? Int)
        let shown = try #require(try desk.json("order", "show", String(id), "--format", "json") as? [String: Any])
        let line = try #require((shown["lines"] as? [[String: Any]])?.first)
        let confirmed = try #require(line["confirmed"] as? [[String: Any]])
        #expect(confirmed.map { $0["week"] as? String } == ["\(Self.w0)", "\(Self.w1)"])
        #expect(confirmed.map { $0["quantity"] as? Int } == [64, 64])
        #expect(line["unconfirmed"] as? Int == 0)
        let table = try desk.run("order", "show", String(id)).stdout
        #expect(table.contains("CONFIRMED") && table.contains("\(Self.w0):64 \(Self.w1):64"))

        // A shipped line has nothing left to confirm; what stays open keeps its weeks.
        _ = try desk.run("inventory", "receive", "--sku", "TRN3-BOARD", "--quantity", "64")
        // The plan's first week is next week: ship what is due through it.
        _ = try desk.run("order", "ship", String(id), "--line", "1", "--quantity", "64", "--week", "\(Self.w0)")
        let after = try #require(try desk.json("order", "show", String(id), "--format", "json") as? [String: Any])
        let shipped = try #require((after["lines"] as? [[String: Any]])?.first)
        #expect((shipped["confirmed"] as? [[String: Any]])?.map { $0["week"] as? String } == ["\(Self.w1)"])
        #expect(shipped["unconfirmed"] as? Int == 0)
        let confirmations = try #require(try desk.json("order", "confirmations", "--customer", "helios-dc", "--format", "json") as? [String: Any])
        let boardLine = try #require((confirmations["lines"] as? [[String: Any]])?.first { $0["reference"] as? String == "PO-B1" })
        // Shipping what the plan confirmed is neither better nor worse.
        #expect(boardLine["change"] as? String == "better")
        #expect(boardLine["previous_confirmed"] as? Int == 0)
    }

    @Test("an unknown customer or a missing plan exits 65 with one line; an unwritable file exits 73")
    func refusals() throws {
        let database = try TestDatabase.make()
        try Fixtures.seed(try database.connect())
        let desk = Desk(database: database, login: try database.makeLogin(in: "chipsales_app"))
        defer { desk.drop() }
        let noPlan = try runChipsales(["order", "confirmations", "--customer", "helios-dc"], environment: desk.environment)
        #expect(noPlan.status == 65)
        #expect(noPlan.stderr.contains("allocation plan") && noPlan.stderr.split(separator: "\n").count == 1)
        _ = try desk.run("allocate", "run", "--as-of", "\(Self.w0)")
        let unknown = try runChipsales(["order", "confirmations", "--customer", "nobody"], environment: desk.environment)
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("customer nobody does not exist"))
        let format = try runChipsales(["order", "confirmations", "--customer", "helios-dc", "--format", "pdf"], environment: desk.environment)
        #expect(format.status == 64)
        let unwritable = try runChipsales(
            ["order", "confirmations", "--customer", "helios-dc", "--format", "html", "--output", "/nonexistent-folder/x.html"],
            environment: desk.environment)
        #expect(unwritable.status == 73 && unwritable.stderr.contains("cannot create /nonexistent-folder/x.html"))
        let empty = try desk.run("order", "confirmations", "--customer", "helios-dc")
        #expect(empty.stdout.contains("No open lines."))
    }
}

import Foundation
import Testing
import TestSupport

/// `order amend` as a buyer's changes come in, through the built binary,
/// run by a login that holds only `chipsales_app`; `db check` stays clean.
@Suite("Order changes through the CLI")
struct OrderChangeCommandTests {
    let w1 = Weeks.text(1), w2 = Weeks.text(2), w3 = Weeks.text(3)

    typealias Desk = OrderDeskCommandTests.Desk

    func desk() throws -> Desk { try OrderDeskCommandTests().desk() }

    func json(_ output: CommandOutput) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "\(output.stderr)")
    }

    /// Runs a command that must succeed.
    func ok(_ desk: Desk, _ arguments: String...) throws -> CommandOutput {
        let output = try runChipsales(arguments, environment: desk.environment)
        #expect(output.status == 0, "\(arguments.joined(separator: " ")): \(output.stderr)")
        return output
    }

    func clean(_ desk: Desk, _ comment: Comment) throws {
        let check = try desk.run("db", "check")
        #expect(check.status == 0, "\(comment): \(check.stdout)\(check.stderr)")
    }

    /// An order of helios-dc: line 1 TRN3:320 next week; its id.
    func order(_ desk: Desk) throws -> String {
        let created = try ok(desk, "order", "create", "--customer", "helios-dc", "--reference", "PO-CH", "--line", "TRN3:320:\(w1)", "--format", "json")
        return String(try #require(try json(created)["id"] as? Int))
    }

    @Test("amend without --reason, or mixing --add-line with --line, exits 64 and changes nothing; refused lines exit 65")
    func refusals() throws {
        let desk = try desk()
        defer { desk.drop() }
        let id = try order(desk)
        let cases: [([String], Int32, String)] = [
            (["--line", "1", "--quantity", "160"], 64, "--reason"),
            (["--add-line", "TRN3:16:\(w1)"], 64, "--reason"),
            (["--line", "1", "--add-line", "TRN3:16:\(w1)", "--reason", "x"], 64, "--add-line adds a line"),
            (["--reason", "x"], 64, "give --line N"),
            (["--add-line", "TRN3-16", "--reason", "x"], 64, "--add-line must be SKU:QUANTITY:WEEK"),
            (["--add-line", "TRN3:16:2026-W54", "--reason", "x"], 64, "week must be an ISO week"),
            (["--add-line", "TRN3:17:\(w1)", "--reason", "x"], 65, "order \(id) line 2: quantity"),
            (["--add-line", "TRN3:16:\(Weeks.text(-1))", "--reason", "x"], 65, "is in the past"),
            (["--line", "1", "--quantity", "160", "--reason", " "], 65, "reason must not be empty"),
        ]
        for (arguments, status, words) in cases {
            let output = try runChipsales(["order", "amend", id] + arguments, environment: desk.environment)
            #expect(output.status == status, "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains(words), "\(arguments): \(output.stderr)")
        }
        let shown = try json(try ok(desk, "order", "show", id, "--format", "json"))
        #expect((shown["lines"] as? [Any])?.count == 1 && (shown["events"] as? [Any])?.count == 1)

        _ = try ok(desk, "order", "cancel", id, "--reason", "withdrawn")
        let cancelled = try desk.run("order", "amend", id, "--add-line", "TRN3:16:\(w1)", "--reason", "more")
        #expect(cancelled.status == 65 && cancelled.stderr.contains("a cancelled order cannot be re-opened"), "\(cancelled.stderr)")
        try clean(desk, "after refusals")
    }

    @Test("add-line and amend each leave one audit event with the login, the reason, before and after; order show prints them")
    func auditTrail() throws {
        let desk = try desk()
        defer { desk.drop() }
        let id = try order(desk)
        let added = try json(try ok(desk, "order", "amend", id, "--add-line", "TRN3-BOARD:128:\(w2)", "--reason", "boards for the racks", "--format", "json"))
        let lines = try #require(added["lines"] as? [[String: Any]])
        #expect(lines.map { $0["line"] as? Int } == [1, 2])
        #expect(lines[1]["sku"] as? String == "TRN3-BOARD" && lines[1]["quantity"] as? Int == 128)
        try clean(desk, "after adding")
        _ = try ok(desk, "order", "amend", id, "--line", "1", "--quantity", "160", "--week", w3, "--reason", "half, later")
        try clean(desk, "after amending")

        let events = try #require(try json(try ok(desk, "order", "show", id, "--format", "json"))["events"] as? [[String: Any]])
        #expect(events.map { $0["action"] as? String } == ["created", "added", "amended"])
        for event in events { #expect(event["actor"] as? String == desk.login) }
        #expect(events[1]["line"] as? Int == 2 && events[1]["reason"] as? String == "boards for the racks")
        #expect(events[1]["before"] is NSNull && (events[1]["after"] as? String)?.contains("\"TRN3-BOARD\"") == true)
        #expect(events[2]["line"] as? Int == 1 && events[2]["reason"] as? String == "half, later")
        let before = try #require(events[2]["before"] as? String), after = try #require(events[2]["after"] as? String)
        #expect(before.contains("\"quantity\": 320") && before.contains(w1))
        #expect(after.contains("\"quantity\": 160") && after.contains(w3))
        let table = try ok(desk, "order", "show", id).stdout
        #expect(table.contains("added") && table.contains("boards for the racks") && table.contains("half, later"))
    }

    @Test("after a run, a week moved later gives up the earlier weeks at once and confirmations call the line amended; db check stays clean")
    func planFollows() throws {
        let desk = try desk()
        defer { desk.drop() }
        for offset in 1...3 {
            _ = try ok(desk, "supply", "set", "--sku", "TRN3", "--week", Weeks.text(offset), "--quantity", "160")
        }
        _ = try ok(desk, "policy", "set", "--frozen-weeks", "0")
        let id = try order(desk)
        _ = try ok(desk, "allocate", "run", "--as-of", w1)
        _ = try ok(desk, "allocate", "run", "--as-of", w1)
        func confirmed() throws -> [String] {
            let lines = try #require(try json(try ok(desk, "order", "show", id, "--format", "json"))["lines"] as? [[String: Any]])
            return (lines[0]["confirmed"] as? [[String: Any]] ?? []).map { "\($0["week"] as? String ?? "?"):\($0["quantity"] as? Int ?? -1)" }
        }
        #expect(try confirmed() == ["\(w1):160", "\(w2):160"])

        _ = try ok(desk, "order", "amend", id, "--line", "1", "--week", w2, "--reason", "site not ready")
        #expect(try confirmed() == ["\(w2):160"])
        try clean(desk, "after the move")
        let document = try json(try ok(desk, "order", "confirmations", "--customer", "helios-dc", "--format", "json"))
        let line = try #require((document["lines"] as? [[String: Any]])?.first)
        #expect(line["change"] as? String == "amended" && line["unconfirmed"] as? Int == 160 && line["requested_week"] as? String == w2)
        let page = try ok(desk, "order", "confirmations", "--customer", "helios-dc", "--format", "html").stdout
        #expect(page.contains("amended: 160 confirmed since the change"))

        _ = try ok(desk, "allocate", "run", "--as-of", w1)
        #expect(try confirmed() == ["\(w2):320"])
        try clean(desk, "after the next run")
    }
}

import Database
import Foundation
import Store
import Testing
import TestSupport

/// `order ship` through the built binary, as an order-desk login holding only
/// `chipsales_app` runs it. The story's first plan (as of 2027-W10) gives AC-1
/// 208 chips in W10, PO-T1 80 in W11 and 80 in W12, and PO-H1 nothing.
@Suite("chipsales order ship against the plan")
struct ShipmentCommandTests {
    struct World {
        let database: TestDatabase
        let login: String
        let admin: Connection

        func run(_ arguments: String...) throws -> CommandOutput {
            try runChipsales(arguments, environment: ["DATABASE_URL": database.url(asUser: login)])
        }

        func order(_ reference: String) throws -> String { String(try AllocationStory.order(reference, admin)) }

        func json(_ output: CommandOutput) throws -> Any { try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) }

        /// What a refused shipment must leave as it was.
        func digest() throws -> String {
            try admin.queryFirst(
                """
                SELECT concat_ws(' | ', (SELECT string_agg(concat_ws(',', id, shipped_qty), ';' ORDER BY id) FROM order_lines),
                    (SELECT count(*) FROM inventory_movements), (SELECT count(*) FROM order_events), (SELECT count(*) FROM shipment_draws),
                    (SELECT sum(quantity) FROM allocations WHERE run_id = (SELECT run_id FROM current_plan))) AS digest
                """)!.decode("digest")
        }
    }

    /// The story and its first run, stored through the CLI by the app login.
    func world() throws -> World {
        let database = try TestDatabase.make()
        let admin = try database.connect()
        try AllocationStory.load(admin)
        let world = World(database: database, login: try database.makeLogin(in: "chipsales_app"), admin: admin)
        let planned = try world.run("allocate", "run", "--as-of", "2027-W10")
        #expect(planned.status == 0, "\(planned.stderr)")
        return world
    }

    @Test("ship within the plan, over it (65 with the figures, nothing changed), for a later week, and beyond it with a reason; db check warns; the next run releases")
    func shipThroughThePlan() throws {
        let world = try world()
        defer { world.database.drop(); world.database.dropRole(world.login) }
        let ac1 = try world.order("AC-1"), t1 = try world.order("PO-T1"), h1 = try world.order("PO-H1")
        #expect(try world.run("inventory", "receive", "--sku", "TRN3", "--quantity", "144").status == 0)  // 192 on hand

        let within = try world.run("order", "ship", ac1, "--line", "1", "--quantity", "32", "--week", "2027-W10")
        #expect(within.status == 0, "\(within.stderr)")
        #expect(within.stderr.isEmpty)

        let before = try world.digest()
        let over = try world.run("order", "ship", ac1, "--line", "1", "--quantity", "208", "--week", "2027-W10")
        #expect(over.status == 65)
        #expect(over.stderr == """
            chipsales: order \(ac1) line 1: quantity 208 is more than is due through 2027-W10: the plan (run 1) confirms 208 chips \
            to the line by then, 32 of them shipped, 176 due; ship at most 176, give a later --week, or ship --beyond-plan with a --reason

            """)
        let early = try world.run("order", "ship", t1, "--line", "1", "--quantity", "96", "--week", "2027-W11")
        #expect(early.status == 65 && early.stderr.contains("confirms 80 chips to the line by then, 0 of them shipped, 80 due"))
        #expect(try world.digest() == before)

        let later = try world.run("order", "ship", t1, "--line", "1", "--quantity", "96", "--week", "2027-W12")
        #expect(later.status == 0, "\(later.stderr)")

        let noReason = try world.run("order", "ship", h1, "--line", "1", "--quantity", "64", "--week", "2027-W10", "--beyond-plan")
        #expect(noReason.status == 64 && noReason.stderr.contains("--reason"))
        let beyond = try world.run(
            "order", "ship", h1, "--line", "1", "--quantity", "64", "--week", "2027-W10", "--beyond-plan", "--reason", "datacenter launch escalation")
        #expect(beyond.status == 0, "\(beyond.stderr)")
        #expect(beyond.stderr.contains("order \(h1) line 1: 64 of 64 chips shipped beyond the plan (0 were due through 2027-W10)"))

        let shown = try #require(try world.json(world.run("order", "show", h1, "--format", "json")) as? [String: Any])
        let event = try #require((shown["events"] as? [[String: Any]])?.last)
        #expect(event["action"] as? String == "shipped" && event["actor"] as? String == world.login)
        #expect(event["reason"] as? String == "beyond the plan: datacenter launch escalation (64 chips shipped, 0 due through 2027-W10)")
        let ledger = try #require(try world.json(world.run("inventory", "show", "--sku", "TRN3", "--movements", "--format", "json")) as? [[String: Any]])
        #expect(ledger.first?["kind"] as? String == "shipment" && ledger.first?["beyond_plan"] as? Bool == true)
        #expect(ledger.first?["note"] as? String == "datacenter launch escalation")
        #expect(ledger.dropFirst().allSatisfy { $0["beyond_plan"] as? Bool == false })

        let check = try world.run("db", "check")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.hasPrefix("warning: shipped beyond the plan: order \(h1) line 1: 64 chips shipped on "))
        #expect(check.stdout.hasSuffix("All invariants hold (1 warning above).\n"))

        // No stock is left: W10 has its 160 chips of supply for AC-1's 176 frozen ones.
        let next = try world.run("allocate", "run", "--as-of", "2027-W10")
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.contains("released from frozen lots: 16\n") && next.stdout.contains("Released (16 frozen chips given back)"),
                "\(next.stdout)")
        #expect(try RunStore(world.admin).releases(run: 2)
                == [Release(order: Int(ac1)!, line: 1, customer: "aws-cloud", sku: "TRN3", week: AllocationStory.asOf, quantity: 16)])
        #expect(try world.run("db", "check").status == 0)
    }

    @Test("two order ship commands for the same due chips at the same moment: one ships, the other exits 65")
    func concurrentShipments() throws {
        let world = try world()
        defer { world.database.drop(); world.database.dropRole(world.login) }
        #expect(try world.run("inventory", "receive", "--sku", "TRN3", "--quantity", "1000").status == 0)
        let ac1 = try world.order("AC-1")
        let line: Int = try world.admin.queryFirst("SELECT id FROM order_lines WHERE order_id = $1", [Int(ac1)!])!.decode("id")
        // The first holds its transaction open after shipping 160 of the 208 due.
        let first = try Connection(configuration: ConnectionConfiguration(connectionString: world.database.url(asUser: world.login)))
        try first.executeScript("BEGIN")
        _ = try first.execute("SELECT * FROM ship_order_line($1, 160, '2027-W10', false, NULL)", [line])

        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let url = world.database.url(asUser: world.login)
        DispatchQueue.global().async {
            do {
                let second = try runChipsales(
                    ["order", "ship", ac1, "--line", "1", "--quantity", "160", "--week", "2027-W10"], environment: ["DATABASE_URL": url])
                outcome.set("\(second.status) \(second.stderr)")
            } catch {
                outcome.set("\(error)")
            }
            done.signal()
        }
        let deadline = Date().addingTimeInterval(60)
        while try world.admin.queryFirst(
            """
            SELECT 1 AS waiting FROM pg_locks
            WHERE NOT granted AND pid IN (SELECT pid FROM pg_stat_activity WHERE datname = current_database())
            """) == nil, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        try first.executeScript("COMMIT")
        done.wait()
        #expect(outcome.value.hasPrefix("65 chipsales: order \(ac1) line 1: quantity 160 is more than is due through 2027-W10"), "\(outcome.value)")
        #expect(outcome.value.contains("confirms 208 chips to the line by then, 160 of them shipped, 48 due"))
        #expect(try world.admin.queryFirst("SELECT shipped_qty FROM order_lines WHERE id = $1", [line])!.decode("shipped_qty", as: Int.self) == 160)
        #expect(try world.run("db", "check").status == 0)
    }
}

/// A result handed from a background thread to the test.
final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    var value: String { lock.withLock { text } }
    func set(_ value: String) { lock.withLock { text = value } }
}

import Database
import Foundation
import Store
import Testing
import TestSupport

/// Where planners see the frozen chips a run released (issue 12, section 1):
/// the run summary, `allocate explain`, `allocate diff` and `allocate
/// history`, through the built binary as a login holding only
/// `chipsales_app`. The story's first plan (as of 2027-W10, W10 frozen) gives
/// AC-1 208 chips in W10 (48 on hand and 160 of supply); W10's supply is then
/// cut to nothing and W13's raised, so the next run releases 160 of them.
@Suite("Released chips shown to planners")
struct ReleaseCommandTests {
    struct World {
        let database: TestDatabase
        let login: String
        let admin: Connection

        func run(_ arguments: String...) throws -> CommandOutput {
            let output = try runChipsales(arguments, environment: ["DATABASE_URL": database.url(asUser: login)])
            #expect(output.status == 0, "\(arguments): \(output.stderr)")
            return output
        }

        func json(_ arguments: String...) throws -> JSONShape {
            let output = try runChipsales(arguments + ["--format", "json"], environment: ["DATABASE_URL": database.url(asUser: login)])
            #expect(output.status == 0, "\(arguments): \(output.stderr)")
            return try JSONShape.parse(output.stdout)
        }
    }

    /// The story, its first run, and the supply cut, all through the CLI.
    func world() throws -> World {
        let database = try TestDatabase.make()
        let admin = try database.connect()
        try AllocationStory.load(admin)
        let world = World(database: database, login: try database.makeLogin(in: "chipsales_app"), admin: admin)
        _ = try world.run("allocate", "run", "--as-of", "2027-W10")
        _ = try world.run("supply", "set", "--sku", "TRN3", "--week", "2027-W10", "--quantity", "0")
        _ = try world.run("supply", "set", "--sku", "TRN3", "--week", "2027-W13", "--quantity", "480")
        return world
    }

    /// The one release the cut causes, as JSON.
    func released(_ order: Int) -> JSONShape {
        .object([
            "order": .number(Double(order)), "line": .number(1), "customer": .string("aws-cloud"), "sku": .string("TRN3"),
            "week": .string("2027-W10"), "quantity": .number(160),
        ])
    }

    @Test("allocate run, dry and stored, lists the released lines in text (with the cause) and JSON (released, headline released_chips)")
    func runSummary() throws {
        let world = try world()
        defer { world.database.drop(); world.database.dropRole(world.login) }
        let ac1 = try AllocationStory.order("AC-1", world.admin)

        let dry = try world.json("allocate", "run", "--as-of", "2027-W10", "--dry-run")
        #expect(dry["released"] == .array([released(ac1)]))
        #expect(dry["headline"]?["released_chips"] == .number(160))
        let aws = dry["changes"]?.array.first { $0["customer"]?.string == "aws-cloud" }
        #expect(aws?["released"] == .number(160))
        let dryText = try world.run("allocate", "run", "--as-of", "2027-W10", "--dry-run").stdout
        #expect(try Fixtures.count("allocation_runs", world.admin) == 1)

        let stored = try world.run("allocate", "run", "--as-of", "2027-W10").stdout
        for text in [dryText, stored] {
            #expect(text.contains("released from frozen lots: 160\n"), "\(text)")
            #expect(text.contains("""
                Released (160 frozen chips given back)
                These lines lost frozen chips because supply or stock fell below the frozen lots; \
                the chips are open on their lines again, for later weeks or the backlog.
                """), "\(text)")
            let row = text.split(separator: "\n").map { $0.drop { $0 == " " } }.first { $0.hasPrefix("\(ac1) ") }
            #expect(row?.split(separator: " ") == ["\(ac1)", "1", "aws-cloud", "TRN3", "2027-W10", "160"], "\(text)")
        }
        // The summary lists what the run stored.
        #expect(try RunStore(world.admin).releases(run: 2)
                == [Release(order: ac1, line: 1, customer: "aws-cloud", sku: "TRN3", week: AllocationStory.asOf, quantity: 160)])

        // The next run has nothing left to release: the array is there, empty, and the text has no section.
        let calm = try world.json("allocate", "run", "--as-of", "2027-W10")
        #expect(calm["released"] == .array([]) && calm["headline"]?["released_chips"] == .number(0))
        let calmText = try world.run("allocate", "run", "--as-of", "2027-W10", "--dry-run").stdout
        #expect(calmText.contains("released from frozen lots: 0\n") && !calmText.contains("Released ("), "\(calmText)")
    }

    @Test("allocate explain says which line had chips released in the current plan, in text and as a released array in JSON")
    func explain() throws {
        let world = try world()
        defer { world.database.drop(); world.database.dropRole(world.login) }
        let ac1 = String(try AllocationStory.order("AC-1", world.admin))
        let before = try world.json("allocate", "explain", ac1)
        #expect(before["lines"]?.array.map { $0["released"] } == [.array([])])
        _ = try world.run("allocate", "run", "--as-of", "2027-W10")

        let text = try world.run("allocate", "explain", ac1).stdout
        #expect(text.contains("line 1 released: 160 chips of 2027-W10 (supply cut after the plan was frozen)\n"), "\(text)")
        let w10 = text.split(separator: "\n").map { $0.drop { $0 == " " } }.last { $0.hasPrefix("1 ") && $0.contains(" 2027-W10 ") }
        #expect(w10?.contains("released: 160 chips of 2027-W10 (supply cut after the plan was frozen)") == true, "\(text)")

        let json = try world.json("allocate", "explain", ac1)
        let line = try #require(json["lines"]?.array.first)
        #expect(line["released"] == .array([.object(["week": .string("2027-W10"), "quantity": .number(160)])]))
        #expect(line["planned"] == .number(320) && line["open"] == .number(320))
        var types: [String: Set<String>] = [:]
        for section in ["lines", "weeks"] {
            for row in try #require(json[section]?.array) {
                for (key, value) in row.fields where value != .null { types[key, default: []].insert(value.typeName) }
            }
        }
        for (key, found) in types { #expect(found.count == 1, "\(key): \(found)") }

        // Another order of the plan lost nothing.
        let h1 = try world.json("allocate", "explain", String(try AllocationStory.order("PO-H1", world.admin)))
        #expect(h1["lines"]?.array.map { $0["released"] } == [.array([])])
        #expect(!(try world.run("allocate", "explain", String(try AllocationStory.order("PO-H1", world.admin))).stdout.contains("released:")))
    }

    @Test("allocate diff shows the later run's released chips per customer (text and JSON) and per line (text); history has a released column")
    func diffAndHistory() throws {
        let world = try world()
        defer { world.database.drop(); world.database.dropRole(world.login) }
        let ac1 = try AllocationStory.order("AC-1", world.admin)
        _ = try world.run("allocate", "run", "--as-of", "2027-W10")

        let diff = try world.json("allocate", "diff", "1", "2")
        let rows = diff.array
        let aws = try #require(rows.first { $0["customer"]?.string == "aws-cloud" })
        #expect(aws["released"] == .number(160))
        #expect(rows.filter { $0["customer"]?.string != "aws-cloud" }.allSatisfy { $0["released"] == .number(0) })
        let text = try world.run("allocate", "diff", "1", "2").stdout
        let awsRow = text.split(separator: "\n").first { $0.hasPrefix("aws-cloud ") }
        #expect(awsRow?.split(separator: " ").last == "160", "\(text)")
        #expect(text.contains("Run 2 released 160 frozen chips (supply or stock fell below the frozen lots):\n"), "\(text)")
        #expect(text.split(separator: "\n").last?.split(separator: " ") == ["\(ac1)", "1", "aws-cloud", "TRN3", "2027-W10", "160"], "\(text)")
        // From the earlier run to itself: nothing changed, nothing released.
        #expect(try world.run("allocate", "diff", "1", "1").stdout == "Runs 1 and 1 give every customer the same chips.\n")

        let history = try world.json("allocate", "history").array
        #expect(history.map { $0["released"] } == [.number(160), .number(0)])
        let csv = try world.run("allocate", "history", "--format", "csv").stdout.split(separator: "\n")
        let columns = csv.first?.split(separator: ",").map(String.init) ?? []
        let column = try #require(columns.firstIndex(of: "released"))
        #expect(csv.dropFirst().map { $0.split(separator: ",")[column] } == ["160", "0"])
    }
}

import Foundation
import Testing
import TestSupport

/// `allocate run` and `allocate explain` as scripts and planners read them.
@Suite("allocate run output: JSON for scripts, reasons for planners")
struct RunOutputTests {
    func run(_ database: TestDatabase, _ arguments: String...) throws -> CommandOutput {
        try runChipsales(arguments, environment: ["DATABASE_URL": database.url])
    }

    @Test("allocate run --format json is one document: snake_case keys, chips and percentages as numbers, per SKU and per customer")
    func runJSON() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        try AllocationStory.load(try database.connect())
        let output = try run(database, "allocate", "run", "--as-of", "2027-W10", "--format", "json")
        #expect(output.status == 0, "\(output.stderr)")
        let summary = try JSONShape.parse(output.stdout)
        for key in summary.allKeys {
            #expect(key.range(of: #"^[a-z][a-z0-9_]*$"#, options: .regularExpression) != nil, "key \(key)")
        }
        let headline = try #require(summary["headline"]?.fields)
        #expect(headline.count >= 12)
        for (key, value) in headline { #expect(value.typeName == "number", "headline \(key): \(value)") }
        #expect(headline["available"] == .number(4 * 160 + 48))
        let skus = try #require(summary["skus"]?.array)
        #expect(skus.map { $0["sku"]?.string } == ["TRN3", "TRN3-BOARD", "TRN3-SERVER"])
        let trn3 = try #require(skus.first)
        for key in ["supply", "on_hand", "demand", "allocated", "internal", "outside", "backlog", "unallocated",
                    "internal_share_percent", "fill_rate_percent"] {
            #expect(trn3[key]?.typeName == "number", "skus[0].\(key)")
        }
        #expect(trn3["demand"]?.number == (trn3["allocated"]?.number ?? 0) + (trn3["backlog"]?.number ?? 0))
        let customers = try #require(summary["customers"]?.array)
        #expect(customers.reduce(0) { $0 + ($1["allocated"]?.number ?? 0) } == headline["allocated"]?.number)
        for customer in customers {
            #expect(customer["held"]?.typeName == "bool" && customer["demand"]?.typeName == "number")
            #expect(["number", "null"].contains(customer["fill_rate_percent"]?.typeName ?? "missing"))
        }
        let nordic = try #require(customers.first { $0["customer"]?.string == "nordic-ai" })
        #expect(nordic["held"] == .bool(true) && nordic["hold_reason"]?.string == "export compliance pending")
        let periods = try #require(summary["periods"]?.array)
        #expect(periods.count == 4)
        #expect(periods.allSatisfy { $0["internal_share_percent"]?.typeName == "number" && $0["available"]?.typeName == "number" })
        #expect(summary["policy"]?["frozen_weeks"]?.typeName == "number")
        #expect(summary["run"] == .number(1))
    }

    @Test("allocate run --format csv is refused (64) before anything is stored")
    func runCSVRefused() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        try AllocationStory.load(try database.connect())
        let output = try run(database, "allocate", "run", "--as-of", "2027-W10", "--format", "csv")
        #expect(output.status == 64, "\(output.stderr)")
        #expect(output.stderr.contains("csv"))
        #expect(try Fixtures.count("allocation_runs", try database.connect()) == 0)
    }

    @Test("allocate explain --format json gives each field one type everywhere in the document")
    func explainJSON() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try AllocationStory.load(connection)
        #expect(try run(database, "allocate", "run", "--as-of", "2027-W10").status == 0)
        let output = try run(database, "allocate", "explain", String(try AllocationStory.order("PO-H1", connection)), "--format", "json")
        #expect(output.status == 0, "\(output.stderr)")
        let explanation = try JSONShape.parse(output.stdout)
        var types: [String: Set<String>] = [:]
        for section in ["lines", "weeks"] {
            for row in try #require(explanation[section]?.array) {
                for (key, value) in row.fields where value != .null { types[key, default: []].insert(value.typeName) }
            }
        }
        #expect(types["line"] == ["number"])
        for (key, found) in types { #expect(found.count == 1, "\(key): \(found)") }
    }

    @Test("the per-customer table says why a customer is held: export compliance or credit")
    func holdReasons() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        try AllocationStory.load(try database.connect())
        #expect(try run(database, "customer", "set", "tokyo-compute", "--hold").status == 0)
        let output = try run(database, "allocate", "run", "--as-of", "2027-W10")
        #expect(output.status == 0, "\(output.stderr)")
        let rows = output.stdout.split(separator: "\n")
        #expect(rows.contains { $0.hasPrefix("nordic-ai ") && $0.contains("export compliance pending") }, "\(output.stdout)")
        #expect(rows.contains { $0.hasPrefix("tokyo-compute ") && $0.contains("credit hold") }, "\(output.stdout)")
        #expect(rows.contains { $0.hasPrefix("helios-dc ") && $0.contains(" no ") }, "\(output.stdout)")
    }

    /// The floor story's weeks are next week and the one after (orders are
    /// entered for this week or later); its runs are as of the first.
    let floorWeeks = [Weeks.text(1), Weeks.text(2)]
    var floorAsOf: String { floorWeeks[0] }

    /// TRN3 only: 10 lots a week for two weeks, a 50% floor, the internal
    /// cloud asking for `inside` chips a week and tokyo-compute (tier 1, like
    /// the cloud) for `outside`, capped at `cap` chips a week.
    func floorStory(inside: Int = 160, outside: Int, cap: Int?) throws -> TestDatabase {
        let database = try TestDatabase.make()
        try Fixtures.seed(try database.connect())
        var commands: [[String]] = [["policy", "set", "--internal-floor", "0.5"]]
        for week in floorWeeks {
            commands.append(["supply", "set", "--sku", "TRN3", "--week", week, "--quantity", "160"])
            commands.append(["order", "create", "--customer", "aws-cloud", "--reference", "AC-\(week)", "--line", "TRN3:\(inside):\(week)"])
            commands.append(["order", "create", "--customer", "tokyo-compute", "--reference", "PO-\(week)", "--line", "TRN3:\(outside):\(week)"])
        }
        if let cap { commands.append(["customer", "set", "tokyo-compute", "--maximum", "TRN3=\(cap)"]) }
        for command in commands {
            let output = try runChipsales(command, environment: ["DATABASE_URL": database.url])
            #expect(output.status == 0, "\(command): \(output.stderr)")
        }
        return database
    }

    @Test("the summary says in one sentence that the internal buyers are above their floor because outside demand was met")
    func aboveFloorOutsideMet() throws {
        let database = try floorStory(outside: 32, cap: nil)
        defer { database.drop() }
        let output = try run(database, "allocate", "run", "--as-of", floorAsOf)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains(
            "Internal buyers got 80.0% of the allocated chips, above their 50% floor, because outside demand was met in full."),
                "\(output.stdout)")
        let json = try JSONShape.parse(try run(database, "allocate", "run", "--as-of", floorAsOf, "--dry-run", "--format", "json").stdout)
        #expect(json["internal_floor_note"]?.string?.contains("outside demand was met in full") == true)
    }

    @Test("the summary says in one sentence that the internal buyers are above their floor because outside buyers were capped")
    func aboveFloorOutsideCapped() throws {
        let database = try floorStory(outside: 160, cap: 32)
        defer { database.drop() }
        let output = try run(database, "allocate", "run", "--as-of", floorAsOf)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains(
            "Internal buyers got 80.0% of the allocated chips, above their 50% floor, because the outside buyers still short were capped by their contract maximums (tokyo-compute)."),
                "\(output.stdout)")
    }

    @Test("no floor sentence when the internal buyers hold exactly their floor")
    func atFloor() throws {
        let database = try floorStory(inside: 80, outside: 160, cap: nil)
        defer { database.drop() }
        let output = try run(database, "allocate", "run", "--as-of", floorAsOf)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("internal share of allocated: 50.0% (floor 50%)"), "\(output.stdout)")
        #expect(!output.stdout.contains("above their"), "\(output.stdout)")
    }
}

import Foundation
import Testing
import TestSupport

/// A file name in a message is shown as every other value a person typed:
/// bare when plain, quoted when it could be misread (surrounding or inner
/// spaces), its control characters escaped (a message must not drive the
/// terminal), and never cut short (a cut path names another file).
@Suite("File names in messages")
struct PathEchoTests {
    @Test("a path with surrounding spaces is quoted and one with an escape sequence is escaped, in every message that names a file")
    func paths() throws {
        let database = try TestDatabase.make()
        try Fixtures.seed(try database.connect())
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        let env = ["DATABASE_URL": database.url(asUser: login)]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("paths-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let spaced = "\(folder)/my orders.csv "
        try "customer,reference,line,sku,quantity,week\nhelios-dc,PO-1,1,TRN3,17,\(Weeks.text(1))\n"
            .write(toFile: spaced, atomically: true, encoding: .utf8)
        let cases: [([String], Int32, String)] = [
            (["order", "import", "\(folder)/orders.csv "], 66, "chipsales: cannot read \"\(folder)/orders.csv \": No such file or directory\n"),
            (["supply", "import", "\(folder)/\u{1B}[31mred"], 66, "chipsales: cannot read \"\(folder)/\\u{1B}[31mred\": No such file or directory\n"),
            (["allocate", "simulate", "\(folder)/scenario.json "], 66, "chipsales: cannot read \"\(folder)/scenario.json \": No such file or directory\n"),
            (["report", "inventory", "--output", "\(folder)/no such folder/x.html"], 73,
             "chipsales: cannot create \"\(folder)/no such folder/x.html\": No such file or directory\n"),
            (["allocate", "generate-scenario", "--lines", "1", "--output", "\(folder)/none/\u{1B}]0;x\u{7}"], 73,
             "chipsales: cannot create \"\(folder)/none/\\u{1B}]0;x\\u{7}\": No such file or directory\n"),
            (["order", "import", spaced], 65,
             "chipsales: \"\(spaced)\" line 2: quantity 17 is not a whole number of lots of TRN3 (lot size 16)\n"),
        ]
        for (arguments, status, message) in cases {
            let output = try runChipsales(arguments, environment: env)
            #expect(output.status == status, "\(arguments): \(output.stderr)")
            #expect(output.stderr == message, "\(arguments)")
            #expect(!output.stderr.contains("\u{1B}") && !output.stdout.contains("\u{1B}"), "\(arguments)")
        }
        // A plain path stays bare, however long.
        let long = "\(folder)/" + String(repeating: "a", count: 120) + ".csv"
        let missing = try runChipsales(["order", "import", long], environment: env)
        #expect(missing.stderr == "chipsales: cannot read \(long): No such file or directory\n")
    }
}

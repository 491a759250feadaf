import Database
import Foundation
import Store
import Testing
import TestSupport

/// A line's open quantity (ordered − cancelled − shipped) has one definition,
/// `order_line_open` (schema 002), which every function, view and store
/// query uses (schema 016).
@Suite("One definition of a line's open quantity")
struct OpenQuantityTests {
    /// `quantity - cancelled_qty - shipped_qty` in any order, with or without
    /// table aliases (in any case) and the parentheses PostgreSQL prints.
    static let restated = #"quantity\)?\s*-\s*\(?[a-z_.]*(cancelled|shipped)_qty\)?\s*-\s*[a-z_.]*(shipped|cancelled)_qty"#

    @Test("no function, view or store query restates ordered - cancelled - shipped: they call order_line_open")
    func oneDefinition() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        let restating = try connection.execute(
            """
            SELECT p.oid::regprocedure::text AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public' AND p.proname <> 'order_line_open' AND p.prosrc ~* $1
            UNION ALL
            SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm') AND pg_get_viewdef(c.oid) ~* $1
            ORDER BY 1
            """, [Self.restated]
        ).map { try $0.decode("name", as: String.self) }
        #expect(restating == [])

        let sources = try TestDatabase.schemaFolder().deletingLastPathComponent().appendingPathComponent("Sources/Store")
        let pattern = try Regex(Self.restated).ignoresCase()
        var files: [String] = []
        for case let file as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        where file.pathExtension == "swift" {
            if try String(contentsOf: file, encoding: .utf8).contains(pattern) { files.append(file.lastPathComponent) }
        }
        #expect(files == [])
    }

    @Test("an app login's part cancellation is refused, naming the chips open before it")
    func partCancellation() throws {
        let database = try TestDatabase.make()
        let admin = try database.connect()
        try AllocationStory.load(admin)
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        let order = try AllocationStory.order("AC-1", admin)
        let error = #expect(throws: DatabaseError.self) {
            try app.execute("UPDATE order_lines SET cancelled_qty = 16 WHERE order_id = $1 AND line_no = 1", [order])
        }
        #expect(error?.constraint == "order_lines_cancellation_whole")
        #expect(error?.message == "order \(order) line 1: a cancellation cancels all that is open (320 chips), not 16")
        let open: Int = try admin.queryOne(
            "SELECT open_qty FROM order_line_status WHERE order_id = $1 AND line_no = 1", [order]).decode("open_qty")
        #expect(open == 320)
    }
}

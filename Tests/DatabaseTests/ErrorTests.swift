import Database
import Foundation
import Testing
import TestSupport

@Suite("Errors carry SQLSTATE, detail and constraint")
struct ErrorTests {
    @Test("a unique violation is recognisable as such, with its constraint and detail")
    func uniqueViolation() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        try connection.executeScript("CREATE TABLE items (sku text CONSTRAINT items_sku_key UNIQUE)")
        try connection.execute("INSERT INTO items VALUES ($1)", ["TRN3"])
        let error = #expect(throws: DatabaseError.self) {
            try connection.execute("INSERT INTO items VALUES ($1)", ["TRN3"])
        }
        #expect(error?.sqlState == .uniqueViolation)
        #expect(error?.sqlState?.isIntegrityViolation == true)
        #expect(error?.constraint == "items_sku_key")
        #expect(error?.table == "items")
        #expect(error?.detail?.contains("TRN3") == true)
        #expect(error?.isRetryable == false)
        // The connection stays usable after a failed statement.
        #expect(try connection.queryFirst("SELECT count(*) AS n FROM items")?.decode("n", as: Int.self) == 1)
    }

    @Test("a check violation names its constraint")
    func checkViolation() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        try connection.executeScript("CREATE TABLE stock (qty int CONSTRAINT stock_qty_not_negative CHECK (qty >= 0))")
        let error = #expect(throws: DatabaseError.self) { try connection.execute("INSERT INTO stock VALUES ($1)", [-1]) }
        #expect(error?.sqlState == .checkViolation)
        #expect(error?.constraint == "stock_qty_not_negative")
    }

    @Test("parameters are never interpreted as SQL")
    func parametersAreData() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        try connection.executeScript("CREATE TABLE notes (body text)")
        let hostile = "x'); DROP TABLE notes; --"
        try connection.execute("INSERT INTO notes VALUES ($1)", [hostile])
        let row = try #require(try connection.queryFirst("SELECT body FROM notes"))
        #expect(try row.decode("body", as: String.self) == hostile)
    }

    @Test("an unreachable server is reported as unavailable, and the password never appears")
    func unreachableHidesPassword() throws {
        let secret = "hunter2-\(UUID().uuidString.prefix(8))"
        let configuration = ConnectionConfiguration(
            connectionString: "postgresql://app:\(secret)@\(secret).invalid:5432/chipsales", connectTimeoutSeconds: 2)
        let error = #expect(throws: DatabaseError.self) { _ = try Connection(configuration: configuration) }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.isUnavailable == true)
        let printed = error.map { "\($0) \($0.message) \(String(reflecting: $0))" } ?? ""
        #expect(!printed.contains(secret))
        #expect(printed.contains("****"))
    }

    @Test("a statement over the statement timeout is cancelled with SQLSTATE 57014")
    func statementTimeout() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect(statementTimeoutMilliseconds: 100)
        let error = #expect(throws: DatabaseError.self) { try connection.execute("SELECT pg_sleep(2)") }
        #expect(error?.sqlState == .queryCanceled)
    }

    @Test("a server that goes away is reported as unavailable")
    func terminatedSession() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        let killer = try database.connect()
        try killer.execute("SELECT pg_terminate_backend($1)", [connection.backendProcessID])
        let error = #expect(throws: DatabaseError.self) { try connection.execute("SELECT 1") }
        #expect(error?.isUnavailable == true)
    }
}

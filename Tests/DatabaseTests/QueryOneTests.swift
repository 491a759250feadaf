import Database
import Testing
import TestSupport

@Suite("A statement that must return one row")
struct QueryOneTests {
    @Test("queryOne returns the row of a one-row statement and throws, naming the statement, when there are none or several")
    func exactlyOneRow() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        #expect(try connection.queryOne("SELECT 7 AS n").decode("n", as: Int.self) == 7)

        let none = #expect(throws: DatabaseError.self) { try connection.queryOne("SELECT 1 AS n WHERE false") }
        #expect(none?.kind == .unexpectedRowCount)
        #expect(none?.message.contains("returned 0 rows") == true)
        #expect(none?.message.contains("SELECT 1 AS n WHERE false") == true)

        let several = #expect(throws: DatabaseError.self) { try connection.queryOne("SELECT generate_series(1, 2) AS n") }
        #expect(several?.kind == .unexpectedRowCount)
        #expect(several?.message.contains("returned 2 rows") == true)
    }
}

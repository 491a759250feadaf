import Database
import Foundation
import Testing
import TestSupport

@Suite("COPY when the connection goes away")
struct CopyConnectionLossTests {
    /// An import streams its rows while it reads the file: a server that
    /// goes away meanwhile (a restart) must read as an unavailable database
    /// (exit 69), not as a failed COPY (exit 70).
    @Test("a connection lost while COPY data is being sent is reported as a lost connection")
    func lostWhileSending() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        try connection.executeScript("CREATE TABLE numbers (n int)")
        let admin = try database.connect()
        let session = Int(connection.backendProcessID)
        let error = #expect(throws: DatabaseError.self) {
            try connection.copyIn("COPY numbers (n) FROM STDIN") { writer in
                for n in 0..<3_000_000 {
                    if n == 1_000 { _ = try admin.execute("SELECT pg_terminate_backend($1) AS done", [session]) }
                    writer.field(n)
                    try writer.endRow()
                }
            }
        }
        #expect(error?.isUnavailable == true, "\(String(describing: error))")
        #expect(try admin.queryFirst("SELECT count(*)::int AS n FROM numbers")?.decode("n", as: Int.self) == 0)
    }
}

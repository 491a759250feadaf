import Database
import Foundation
import Testing
import TestSupport

@Suite("Streaming COPY")
struct CopyTests {
    @Test("COPY in and out round-trips non-ASCII text, quotes and newlines in CSV")
    func roundTrip() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        try connection.executeScript("CREATE TABLE names (id int, name text)")
        let names = ["Zürich", "東京データセンター", "O\"Brien, Ltd", "two\nlines", "🚀", ""]
        let stored = try connection.copyIn("COPY names (id, name) FROM STDIN (FORMAT csv)") { writer in
            for (id, name) in names.enumerated() {
                try writer.write("\(id),\"\(name.replacingOccurrences(of: "\"", with: "\"\""))\"\n")
            }
        }
        #expect(stored == names.count)
        var output = Data()
        let sent = try connection.copyOut("COPY (SELECT id, name FROM names ORDER BY id) TO STDOUT (FORMAT csv)") { chunk in
            output.append(contentsOf: chunk)
        }
        #expect(sent == names.count)
        let rows = try connection.execute("SELECT name FROM names ORDER BY id").map { try $0.decode("name", as: String.self) }
        #expect(rows == names)
        #expect(String(decoding: output, as: UTF8.self).contains("東京データセンター"))
    }

    @Test("a large COPY streams without holding everything in memory")
    func largeCopyIn() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        try connection.executeScript("CREATE TABLE lines (n int, note text)")
        let count = 200_000
        let stored = try connection.copyIn("COPY lines FROM STDIN") { writer in
            for n in 0..<count { try writer.write("\(n)\tline \(n)\n") }
        }
        #expect(stored == count)
        var total = 0
        try connection.copyOut("COPY lines TO STDOUT") { chunk in total += chunk.count }
        #expect(total > count * 8)
    }

    @Test("bad COPY data fails with the server's error and stores nothing")
    func badDataStoresNothing() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        try connection.executeScript("CREATE TABLE qty (n int)")
        let error = #expect(throws: DatabaseError.self) {
            try connection.copyIn("COPY qty FROM STDIN (FORMAT csv)") { writer in
                try writer.write("1\n2\nthree\n4\n")
            }
        }
        #expect(error?.sqlState == .invalidTextRepresentation)
        #expect(try connection.queryFirst("SELECT count(*) AS n FROM qty")?.decode("n", as: Int.self) == 0)
        #expect(try connection.queryFirst("SELECT 1 AS ok")?.decode("ok", as: Int.self) == 1)
    }

    struct Stop: Error {}

    @Test("a COPY the client aborts stores nothing and rethrows the client's error")
    func clientAbort() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        try connection.executeScript("CREATE TABLE qty (n int)")
        #expect(throws: Stop.self) {
            try connection.copyIn("COPY qty FROM STDIN") { writer in
                try writer.write("1\n2\n")
                throw Stop()
            }
        }
        #expect(try connection.queryFirst("SELECT count(*) AS n FROM qty")?.decode("n", as: Int.self) == 0)
        // COPY out that the consumer abandons leaves the connection usable.
        #expect(throws: Stop.self) {
            try connection.copyOut("COPY (SELECT generate_series(1, 1000)) TO STDOUT") { _ in throw Stop() }
        }
        #expect(try connection.queryFirst("SELECT 2 AS ok")?.decode("ok", as: Int.self) == 2)
    }
}

import Database
import Foundation
import Testing
import TestSupport

@Suite("No leaks")
struct MemoryTests {
    /// Every result is cleared on every path: 100,000 queries, a fifth of
    /// them failing, leave resident memory within a small bound.
    @Test("100,000 queries, including failing ones, do not grow resident memory")
    func noLeakOverManyQueries() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        func round(_ i: Int) {
            if i % 5 == 0 {
                _ = try? connection.execute("SELECT 1 / $1::int AS x", [0])  // division by zero
            } else {
                let row = try? connection.queryFirst("SELECT $1::int AS n, repeat('x', 200) AS pad", [i])
                _ = try? row?.decode("n", as: Int.self)
            }
        }
        for i in 0..<5_000 { round(i) }  // warm up allocator pools
        let before = residentMemoryBytes()
        for i in 0..<100_000 { round(i) }
        let growth = residentMemoryBytes() - before
        // A leaked result is at least a few hundred bytes: 100,000 of them would be tens of MB.
        #expect(growth < 4 * 1024 * 1024, "resident memory grew by \(growth) bytes")
    }

    @Test("connections that fail to connect do not leak either")
    func failedConnectsDoNotLeak() throws {
        let configuration = ConnectionConfiguration(connectionString: "postgresql:///nope?host=/nonexistent-socket-dir&port=1")
        for _ in 0..<200 { _ = try? Connection(configuration: configuration) }
        let before = residentMemoryBytes()
        for _ in 0..<2_000 { _ = try? Connection(configuration: configuration) }
        let growth = residentMemoryBytes() - before
        #expect(growth < 2 * 1024 * 1024, "resident memory grew by \(growth) bytes")
    }
}

import Database
import Foundation
import Testing
import TestSupport

@Suite("Transactions")
struct TransactionTests {
    struct Refused: Error, Equatable {}

    @Test("a closure that throws rolls back everything and its own error is rethrown")
    func rollbackKeepsOriginalError() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        try connection.executeScript("CREATE TABLE ledger (qty int)")
        #expect(throws: Refused.self) {
            try connection.transaction { tx in
                try tx.execute("INSERT INTO ledger VALUES ($1)", [10])
                throw Refused()
            }
        }
        #expect(try connection.queryFirst("SELECT count(*) AS n FROM ledger")?.decode("n", as: Int.self) == 0)
    }

    @Test("a failing statement inside the closure rolls back earlier statements")
    func failingStatementRollsBack() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        try connection.executeScript("CREATE TABLE ledger (qty int CHECK (qty >= 0))")
        let error = #expect(throws: DatabaseError.self) {
            try connection.transaction { tx in
                try tx.execute("INSERT INTO ledger VALUES ($1)", [10])
                try tx.execute("INSERT INTO ledger VALUES ($1)", [-5])
            }
        }
        #expect(error?.sqlState == .checkViolation)
        #expect(try connection.queryFirst("SELECT count(*) AS n FROM ledger")?.decode("n", as: Int.self) == 0)
        let value = try connection.transaction { tx in
            try tx.execute("INSERT INTO ledger VALUES ($1)", [7])
            return 7
        }
        #expect(value == 7)
        #expect(try connection.queryFirst("SELECT sum(qty) AS n FROM ledger")?.decode("n", as: Int.self) == 7)
    }

    /// Two serializable transactions each read what the other writes (write
    /// skew), so one must fail with 40001. The retry runs it again on a
    /// fresh snapshot, and it then succeeds.
    @Test("a forced serialization failure is retried and then succeeds")
    func serializationFailureIsRetried() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let setup = try database.connect()
        try setup.executeScript("CREATE TABLE doctors (name text PRIMARY KEY, on_call bool NOT NULL)")
        try setup.executeScript("INSERT INTO doctors VALUES ('alice', true), ('bob', true)")
        let first = try database.connect()
        let second = try database.connect()
        var attempts = 0
        try first.transaction(isolation: .serializable, retries: 3) { tx in
            attempts += 1
            _ = try tx.queryFirst("SELECT count(*) AS n FROM doctors WHERE on_call")
            if attempts == 1 {
                // The other session commits a conflicting write-skew transaction meanwhile.
                try second.transaction(isolation: .serializable) { other in
                    _ = try other.queryFirst("SELECT count(*) AS n FROM doctors WHERE on_call")
                    try other.execute("UPDATE doctors SET on_call = false WHERE name = $1", ["bob"])
                }
            }
            try tx.execute("UPDATE doctors SET on_call = false WHERE name = $1", ["alice"])
        }
        #expect(attempts == 2)
        #expect(try setup.queryFirst("SELECT count(*) AS n FROM doctors WHERE on_call")?.decode("n", as: Int.self) == 0)
    }

    @Test("without retries a serialization failure reaches the caller as retryable")
    func serializationFailureWithoutRetry() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let setup = try database.connect()
        try setup.executeScript("CREATE TABLE counter (n int)")
        try setup.executeScript("INSERT INTO counter VALUES (0)")
        let first = try database.connect()
        let second = try database.connect()
        let error = #expect(throws: DatabaseError.self) {
            try first.transaction(isolation: .serializable) { tx in
                _ = try tx.queryFirst("SELECT n FROM counter")
                try second.execute("UPDATE counter SET n = n + 1")
                try tx.execute("UPDATE counter SET n = n + 10")
            }
        }
        #expect(error?.sqlState == .serializationFailure)
        #expect(error?.isRetryable == true)
        #expect(try setup.queryFirst("SELECT n FROM counter")?.decode("n", as: Int.self) == 1)
    }
}

import Database
import Foundation
import Testing
import TestSupport

/// A connection that breaks mid-command (a server restart, a terminated
/// backend) is a lost connection, whatever the statement was doing, and a
/// transaction it interrupted before COMMIT is known to be rolled back.
@Suite("Lost connections")
struct ConnectionLossTests {
    func terminate(_ connection: Connection, from database: TestDatabase) throws {
        let admin = try database.connect()
        let ended: Bool = try admin.queryFirst("SELECT pg_terminate_backend($1) AS ok", [Int(connection.backendProcessID)])!.decode("ok")
        #expect(ended)
        // Give the backend time to go before the client sends more.
        for _ in 0..<100 {
            let alive = try admin.queryFirst("SELECT 1 AS one FROM pg_stat_activity WHERE pid = $1", [Int(connection.backendProcessID)])
            if alive == nil { return }
            usleep(20_000)
        }
    }

    @Test("a backend ended during COPY inside a transaction is a lost connection with nothing committed")
    func lostDuringCopy() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        try connection.executeScript("CREATE TABLE lines (n int, note text)")
        let error = #expect(throws: DatabaseError.self) {
            try connection.transaction { tx in
                try tx.copyIn("COPY lines FROM STDIN") { writer in
                    try writer.write("0\tfirst\n")
                    try writer.flush()
                    try terminate(tx, from: database)
                    // Enough data that libpq must send, and finds the socket closed.
                    for n in 1...200_000 { try writer.write("\(n)\tline \(n) of a COPY the server will never see\n") }
                }
            }
        }
        #expect(error?.isConnectionLoss == true, "\(String(describing: error))")
        #expect(error?.isUnavailable == true)
        #expect(error?.nothingCommitted == true)
        #expect(error?.kind == .connectionLost)
        #expect(try Fixtures.count("lines", database.connect()) == 0)
    }

    @Test("a backend ended while a statement waits is a lost connection, whatever its SQLSTATE")
    func lostWhileWaiting() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        try connection.executeScript("CREATE TABLE items (n int)")
        let blocker = try database.connect()
        try blocker.executeScript("BEGIN")
        try blocker.executeScript("LOCK TABLE items IN ACCESS EXCLUSIVE MODE")
        let pid = Int(connection.backendProcessID)
        DispatchQueue.global().async {
            guard let admin = try? database.connect() else { return }
            for _ in 0..<200 {
                let waiting = try? admin.queryFirst(
                    "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", [pid])
                if waiting != nil { return }
                usleep(25_000)
            }
        }
        let error = #expect(throws: DatabaseError.self) {
            try connection.transaction { tx in
                try tx.execute("INSERT INTO items VALUES (1)")
            }
        }
        try blocker.executeScript("ROLLBACK")
        #expect(error?.kind == .connectionLost, "\(String(describing: error))")
        #expect(error?.nothingCommitted == true)
        #expect(connection.isOpen == false)
    }
}

import Allocation
import Database
import Domain
import Foundation
import Jobs
import Store
import Testing
import TestSupport

/// The weekly job called as a scheduler would call it: the type itself, on
/// a connection of a login holding only `chipsales_app`, no binary between.
@Suite("Allocation job, called directly")
struct WeeklyJobTests {
    /// The allocation story and an operator login; `owner` sets up and inspects.
    func story() throws -> (database: TestDatabase, login: String, owner: Connection) {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_app")
        let owner = try database.connect()
        try AllocationStory.load(owner)
        return (database, login, owner)
    }

    func operatorConnection(_ database: TestDatabase, _ login: String) throws -> Connection {
        try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
    }

    /// Whether another session can take the single-runner lock now (and
    /// gives it back at once).
    func lockIsFree(_ database: TestDatabase, _ login: String) throws -> Bool {
        let other = RunStore(try operatorConnection(database, login))
        let lock: RunLock
        do {
            lock = try other.lock(wait: false)
        } catch is RunInProgress {
            return false
        }
        try lock.release()
        return true
    }

    @Test("the job stores the run as the current plan, reports the change from the previous plan and frees the lock")
    func storesAndUnlocks() async throws {
        let (database, login, owner) = try story()
        defer { database.drop(); database.dropRole(login) }
        let connection = try operatorConnection(database, login)

        let first = try await AllocationJob(asOf: AllocationStory.asOf).run(on: connection)
        let runID = try #require(first.runID)
        #expect(first.previousRunID == nil)
        #expect(try RunStore(owner).currentRunID() == runID)
        #expect(first.trimmed == 0)
        #expect(!first.changes.isEmpty && first.changes.allSatisfy { $0.before == 0 })
        // What the job reports per customer is what it stored.
        let stored = try RunStore(owner).customerTotals(run: runID)
        #expect(Dictionary(uniqueKeysWithValues: first.changes.map { ($0.customer, $0.after) }) == stored.filter { $0.value != 0 })
        #expect(first.holdReasons["nordic-ai"] == "export compliance pending")
        // The job's session is still open, and the lock is free.
        #expect(try lockIsFree(database, login))

        // Again on the same session, as a scheduler does: the same plan, nothing changed.
        let second = try await AllocationJob(asOf: AllocationStory.asOf).run(on: connection)
        #expect(second.previousRunID == runID && second.runID == runID + 1)
        #expect(second.changes.isEmpty)
        #expect(try lockIsFree(database, login))
    }

    @Test("a dry run computes the same plan and stores nothing")
    func dryRun() async throws {
        let (database, login, owner) = try story()
        defer { database.drop(); database.dropRole(login) }
        let connection = try operatorConnection(database, login)
        let dry = try await AllocationJob(asOf: AllocationStory.asOf, dryRun: true).run(on: connection)
        #expect(dry.runID == nil)
        #expect(try Fixtures.count("allocation_runs", owner) == 0)
        let real = try await AllocationJob(asOf: AllocationStory.asOf).run(on: connection)
        #expect(real.result.allocations == dry.result.allocations)
        #expect(real.changes == dry.changes)
    }

    @Test("while another session runs, the job throws RunInProgress and stores nothing; with wait it runs after it")
    func oneAtATime() async throws {
        let (database, login, owner) = try story()
        defer { database.drop(); database.dropRole(login) }
        let holder = RunStore(try operatorConnection(database, login))
        let lock = try holder.lock(wait: false)
        let connection = try operatorConnection(database, login)
        await #expect(throws: RunInProgress.self) {
            _ = try await AllocationJob(asOf: AllocationStory.asOf).run(on: connection)
        }
        #expect(try Fixtures.count("allocation_runs", owner) == 0)
        try lock.release()
        let run = try await AllocationJob(asOf: AllocationStory.asOf, wait: true).run(on: connection)
        #expect(run.runID != nil)
    }

    /// A scheduler keeps its session: a run that fails must not keep the
    /// lock, or every later run would find one "in progress".
    @Test("a run that fails while storing leaves nothing stored and the lock free in the session that stays open")
    func failureFreesTheLock() async throws {
        let (database, login, owner) = try story()
        defer { database.drop(); database.dropRole(login) }
        let connection = try operatorConnection(database, login)
        // Reading works; storing the run is refused.
        try connection.execute("SET default_transaction_read_only = on")
        await #expect(throws: DatabaseError.self) {
            _ = try await AllocationJob(asOf: AllocationStory.asOf).run(on: connection)
        }
        #expect(try Fixtures.count("allocation_runs", owner) == 0)
        #expect(try lockIsFree(database, login))
        // The same session runs the job once it can store again.
        try connection.execute("SET default_transaction_read_only = off")
        #expect(try await AllocationJob(asOf: AllocationStory.asOf).run(on: connection).runID != nil)
    }
}

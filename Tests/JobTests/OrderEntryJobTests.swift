import Database
import Domain
import Foundation
import Jobs
import Store
import Testing
import TestSupport

/// Order entry with its quote, called as a scheduler or another front end
/// would: the job type on an order-desk login's connection.
@Suite("Order entry job, called directly")
struct OrderEntryJobTests {
    func draft(_ reference: String) throws -> OrderDraft {
        try OrderDraft(customer: "tokyo-compute", reference: reference, lines: [
            LineDraft(number: 1, parsing: "TRN3:320:2027-W10"), LineDraft(number: 2, parsing: "TRN3:64:2027-W12"),
        ])
    }

    @Test("the job stores the order and quotes it as order quote does; entered again it is already recorded, same quote")
    func entersAndQuotes() async throws {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        try AllocationStory.load(try database.connect())
        let connection = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))

        let plain = try await OrderEntryJob(try draft("PO-J0")).run(on: connection)
        #expect(plain.quote == nil)
        guard case .created = plain.entry else { Issue.record("PO-J0 should be new"); return }

        let first = try await OrderEntryJob(try draft("PO-J1"), quote: true).run(on: connection)
        guard case .created(let order) = first.entry else { Issue.record("PO-J1 should be new"); return }
        let quote = try #require(first.quote)
        #expect(quote.orderID == order.id)
        #expect(!quote.lines.isEmpty)
        #expect(quote == (try await QuoteStore(connection).quote(order: order.id)))
        let again = try await OrderEntryJob(try draft("PO-J1"), quote: true).run(on: connection)
        #expect(again.entry == .alreadyRecorded(order))
        #expect(again.quote == quote)
    }

    /// The quote reads the supply plan; the order desk's login may no longer
    /// do so in this database. The order is stored all the same.
    @Test("a quote that fails throws UnquotedOrder, which names the stored order; the order stays stored")
    func quoteFails() async throws {
        let database = try TestDatabase.make()
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.drop(); database.dropRole(login) }
        let owner = try database.connect()
        try AllocationStory.load(owner)
        try owner.execute("REVOKE SELECT ON supply_capacity FROM chipsales_app")
        let connection = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        let before = try Fixtures.count("orders", owner)
        do {
            _ = try await OrderEntryJob(try draft("PO-J2"), quote: true).run(on: connection)
            Issue.record("the quote should have failed")
        } catch let unquoted as UnquotedOrder {
            guard case .created(let order) = unquoted.entry else { Issue.record("PO-J2 should be new"); return }
            #expect(unquoted.description.hasPrefix("order tokyo-compute/PO-J2 is stored as order \(order.id), but it could not be quoted: "))
            #expect((unquoted.error as? DatabaseError)?.sqlState == SQLState(rawValue: "42501"))  // insufficient_privilege
        }
        #expect(try Fixtures.count("orders", owner) == before + 1)
    }
}

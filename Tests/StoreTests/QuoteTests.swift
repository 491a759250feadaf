import Allocation
import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport
import Values

@Suite("Quotes on PostgreSQL")
struct QuoteTests {
    /// Reads, allocates and stores one run, as `allocate run` does.
    @discardableResult
    func run(_ connection: Connection, asOf: Period) throws -> (id: Int, trimmed: Int) {
        let input = try PlanInput.read(asOf: asOf, on: connection)
        return try RunStore(connection).save(try Allocator().allocate(input.scenario), input: input, startedAt: Date(), computeMilliseconds: 1)
    }

    /// An order's allocations in a run, per line number, as quote weeks.
    func confirmed(order: Int, run: Int, _ connection: Connection) throws -> [Int: [OrderQuote.Week]] {
        var weeks: [Int: [OrderQuote.Week]] = [:]
        for row in try connection.execute(
            """
            SELECT l.line_no, a.week::text AS week, a.quantity FROM allocations a JOIN order_lines l ON l.id = a.order_line_id
            WHERE a.run_id = $1 AND l.order_id = $2 ORDER BY l.line_no, a.week
            """, [run, order]) {
            weeks[try row.decode("line_no"), default: []].append(
                OrderQuote.Week(week: try row.decode("week", as: Period.self), quantity: try row.decode("quantity")))
        }
        return weeks
    }

    /// Chips per customer of a run's allocations of `skus`, leaving out one order's lines.
    func chipsPerCustomer(run: Int, skus: [String], except order: Int, _ connection: Connection) throws -> [String: Int] {
        var chips: [String: Int] = [:]
        for row in try connection.execute(
            """
            SELECT a.customer_id, sum(a.quantity)::bigint AS chips FROM allocations a JOIN order_lines l ON l.id = a.order_line_id
            WHERE a.run_id = $1 AND a.sku = ANY ($2::text[]) AND l.order_id <> $3 GROUP BY a.customer_id
            """, [run, skus, order]) {
            chips[try row.decode("customer_id")] = try row.decode("chips")
        }
        return chips
    }

    @Test("quote, create, run: on generated worlds (holds, caps, minimums, the floor, frozen weeks, releases, history) the run confirms exactly what the quote said, and the displaced are the customers whose other lines lost chips")
    func quoteIsWhatTheRunConfirms() async throws {
        var confirmedSomething = 0, displacedSomeone = 0, releasedSomething = 0, heldQuotes = 0
        for seed in UInt64(1)...6 {
            let database = try TestDatabase.make()
            defer { database.drop() }
            let owner = try database.connect()
            let world = try GeneratedWorld.load(seed: seed, on: owner)
            let login = try database.makeLogin(in: "chipsales_app")
            defer { database.dropRole(login) }
            let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
            let (customer, lines) = try world.order()
            let skus = Array(Set(lines.map(\.sku))).sorted()

            // The baseline the quote must match: the full run's input and result, without the order.
            let before = try PlanInput.read(asOf: world.asOf, on: app)
            let baseline = try Allocator().allocate(before.scenario)
            if !baseline.released.isEmpty { releasedSomething += 1 }
            let keyCustomer = Dictionary(uniqueKeysWithValues: before.scenario.orders.map { ($0.id, $0.customer) })
            var baselineChips: [String: Int] = [:]
            for a in baseline.allocations where skus.contains(a.sku) { baselineChips[keyCustomer[a.order]!, default: 0] += a.quantity }

            let counts = try ["orders", "order_lines", "allocation_runs", "order_events"].map { try Fixtures.count($0, owner) }
            let quote = try await QuoteStore(app).quote(customer: customer, lines: lines, asOf: world.asOf)
            #expect(try ["orders", "order_lines", "allocation_runs", "order_events"].map { try Fixtures.count($0, owner) } == counts)

            let order = try OrderStore(app).create(OrderDraft(customer: customer, reference: "QUOTED-\(seed)", lines: lines)).order
            let stored = try await QuoteStore(app).quote(order: order.id, asOf: world.asOf)
            #expect(stored.lines == quote.lines, "seed \(seed): order create --quote differs from the quote")
            #expect(stored.displaced == quote.displaced, "seed \(seed)")
            #expect(stored.orderID == order.id && stored.reference == "QUOTED-\(seed)")

            let saved = try run(app, asOf: world.asOf)
            #expect(saved.trimmed == 0)
            let plan = try confirmed(order: order.id, run: saved.id, owner)
            for line in quote.lines {
                #expect(line.confirmed == plan[line.number] ?? [], "seed \(seed) line \(line.number): quoted \(line.confirmed), the run gave \(plan[line.number] ?? [])")
                #expect(line.confirmedTotal + line.unconfirmed == line.quantity)
            }
            let after = try chipsPerCustomer(run: saved.id, skus: skus, except: order.id, owner)
            var expected: [OrderQuote.Displaced] = []
            for (id, chips) in baselineChips where chips > after[id, default: 0] {
                expected.append(OrderQuote.Displaced(customer: id, quantity: chips - after[id, default: 0]))
            }
            #expect(quote.displaced.sorted { $0.customer < $1.customer } == expected.sorted { $0.customer < $1.customer }, "seed \(seed)")
            #expect(quote.displaced == quote.displaced.sorted { $0.quantity > $1.quantity || ($0.quantity == $1.quantity && $0.customer < $1.customer) })

            if quote.lines.contains(where: { $0.confirmedTotal > 0 }) { confirmedSomething += 1 }
            if !quote.displaced.isEmpty { displacedSomeone += 1 }
            if world.held.contains(customer) {
                heldQuotes += 1
                #expect(quote.hold != nil && quote.lines.allSatisfy { $0.confirmed.isEmpty })
            }
        }
        // The worlds exercise what they claim to.
        #expect(confirmedSomething >= 4 && displacedSomeone >= 3 && releasedSomething >= 2 && heldQuotes >= 1,
                "confirmed \(confirmedSomething), displaced \(displacedSomeone), released \(releasedSomething), held \(heldQuotes)")
    }

    @Test("a SKU-filtered read holds only that SKU's products, terms, supply, lines, frozen lots and history, and allocates that SKU exactly as the full read does")
    func filteredRead() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let owner = try database.connect()
        let world = try GeneratedWorld.load(seed: 2, on: owner)  // turn and earn, with history
        _ = try run(owner, asOf: world.asOf)  // a plan whose frozen weeks the reads below both take
        let full = try PlanInput.read(asOf: world.asOf, on: owner)
        for (sku, _) in world.skus {
            let part = try PlanInput.read(asOf: world.asOf, skus: [sku], on: owner)
            let scenario = part.scenario
            #expect(scenario.products.map(\.sku) == [sku])
            #expect(scenario.customers.count == full.scenario.customers.count)
            #expect(scenario.customers.allSatisfy { Set($0.minimumPerPeriod.keys).union($0.maximumPerPeriod.keys).isSubset(of: [sku]) })
            #expect(!scenario.supply.isEmpty && scenario.supply.allSatisfy { $0.sku == sku })
            #expect(scenario.orders == full.scenario.orders.filter { $0.sku == sku })
            let keys = Set(scenario.orders.map(\.id))
            #expect(scenario.fixed == full.scenario.fixed.filter { keys.contains($0.order) })
            #expect(scenario.history.allSatisfy { $0.sku == sku })
            #expect(Set(scenario.history) == Set(full.scenario.history.filter { $0.sku == sku }))
            let whole = try Allocator().allocate(full.scenario)
            let alone = try Allocator().allocate(scenario)
            #expect(alone.allocations == whole.allocations.filter { $0.sku == sku })
            #expect(alone.released == whole.released.filter { $0.sku == sku })
        }
        #expect(!full.scenario.fixed.isEmpty && !full.scenario.history.isEmpty)
        #expect(full.scenario.customers.contains { !$0.minimumPerPeriod.isEmpty } && full.scenario.customers.contains { !$0.maximumPerPeriod.isEmpty })
    }

    @Test("without --as-of a quote re-runs as of the current plan's week, or this ISO week when there is no plan")
    func defaultWeek() async throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        try AllocationStory.load(connection)
        let lines = [try LineDraft(number: 1, parsing: "TRN3:64:2027-W11")]
        func thisWeek() -> Period? {
            var calendar = Calendar(identifier: .iso8601)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: Date())
            return Period(year: parts.yearForWeekOfYear!, week: parts.weekOfYear!)
        }
        let before = thisWeek()
        let unplanned = try await QuoteStore(connection).quote(customer: "tokyo-compute", lines: lines)
        #expect(unplanned.asOf == before || unplanned.asOf == thisWeek())
        _ = try run(connection, asOf: AllocationStory.asOf)
        let planned = try await QuoteStore(connection).quote(customer: "tokyo-compute", lines: lines)
        #expect(planned.asOf == AllocationStory.asOf)
        #expect(planned.lines[0].confirmedTotal > 0)
        let later = try await QuoteStore(connection).quote(customer: "tokyo-compute", lines: lines, asOf: AllocationStory.asOf.adding(1))
        #expect(later.asOf == AllocationStory.asOf.adding(1))
    }

    @Test("a quote checks its lines as order create does, naming the line and field, and stores nothing")
    func refusals() async throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let owner = try database.connect()
        try AllocationStory.load(owner)
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.dropRole(login) }
        let app = try Connection(configuration: ConnectionConfiguration(connectionString: database.url(asUser: login)))
        let quotes = QuoteStore(app)
        let week = try Period("2027-W11").map { try LineDraft(number: 1, sku: "TRN3", quantity: 20, requestedWeek: $0) }!
        await #expect(throws: ValidationFailures.self) { try await quotes.quote(customer: "helios-dc", lines: [week]) }
        do {
            _ = try await quotes.quote(customer: "atlantis", lines: [
                try LineDraft(number: 1, parsing: "TRN3:20:2027-W11"), try LineDraft(number: 2, parsing: "NOPE:16:2027-W11"),
            ])
            Issue.record("an unknown customer and SKU were quoted")
        } catch let failures as ValidationFailures {
            #expect(failures.failures.map(\.description) == [
                "quote for atlantis: customer atlantis is not a known customer",
                "quote for atlantis line 1: quantity 20 is not a whole number of lots of TRN3 (lot size 16)",
                "quote for atlantis line 2: sku NOPE is not a known product",
            ])
        }
        await #expect(throws: ValidationFailure.self) { try await quotes.quote(customer: "Helios DC", lines: [try LineDraft(number: 1, parsing: "TRN3:16:2027-W11")]) }
        await #expect(throws: ValidationFailure.self) { try await quotes.quote(customer: "helios-dc", lines: []) }
        await #expect(throws: NotFound.self) { try await quotes.quote(order: 424_242) }
        #expect(try Fixtures.count("orders", owner) == 6)
        #expect(try Fixtures.count("allocation_runs", owner) == 0)
    }
}

import Allocation
import Database
import Domain
import Foundation
import Values

/// Quotes (available-to-promise under rationing): what the plan would confirm
/// for an order if it were entered now and the plan re-run under the current
/// policy and frozen weeks.
///
/// A quote re-runs the engine on the stored data of the order's SKUs only
/// (SKUs are allocated independently, so each comes out exactly as in a full
/// run), twice: with the order and without it (from one validated index,
/// `PreparedScenario`). The order's confirmations
/// come from the run with it; the difference between the two runs is whose
/// chips the order takes. The baseline is that run without the order, not the
/// stored plan, which may be older than the data (supply, stock or orders
/// changed since): comparing two runs on the same snapshot isolates what
/// the order itself changes. A quote stores nothing: everything is read in
/// one read-only, repeatable-read transaction.
public struct QuoteStore {
    let connection: Connection

    public init(_ connection: Connection) { self.connection = connection }

    /// Quotes an order that is not entered: `lines` for `customer`, checked
    /// as `order create` checks them (`OrderDraft`'s rules: known customer
    /// and SKUs, whole lots, one currency, weeks that `weeks` accepts).
    /// The lines get what `order create` would give them: placed now (the
    /// database's clock, in microseconds as it stores them) and ids after
    /// every stored line, in line order; so entering the order and running
    /// the plan as of the same week confirms exactly this, unless other data
    /// changed in between.
    ///
    /// - Parameter asOf: the first week of the re-run; `nil` takes the current
    ///   plan's as-of week, or the current ISO week when there is no plan.
    /// - Throws: `ValidationFailure(s)` for what `order create` would refuse;
    ///   `ScenarioError` when the stored data cannot be allocated.
    public func quote(
        customer: String, lines: [LineDraft], asOf: Period? = nil, weeks: EntryWeeks = .fromThisWeek
    ) async throws -> OrderQuote {
        let customer = try Customer.validID(customer)
        let record = "quote for \(customer)"
        let lines = try OrderDraft.validLines(lines, record: record)
        let read = try snapshot { tx in
            let problems = OrderDraft.problems(
                customer: customer, lines: lines, record: record, in: try OrderStore.catalogue(customer: customer, on: tx), weeks: weeks)
            if !problems.isEmpty { throw ValidationFailures(problems) }
            let moment = try QuoteMoment(tx)
            let week = asOf ?? moment.planWeek
            let input = try timed("read the input") {
                try PlanInput.read(asOf: week, skus: Self.skus(lines.map(\.sku)), detail: .forAllocating, inTransaction: tx)
            }
            let quoted = lines.enumerated().map { n, line in
                QuotedLine(id: moment.lastLineID + 1 + n, number: line.number, customer: customer, sku: line.sku,
                           quantity: line.quantity, open: line.quantity, requestedWeek: line.requestedWeek)
            }
            // The input's scenario is taken over, not copied, to append the order's lines to.
            var with = (consume input).scenario
            let firstQuoted = with.orders.count
            for line in quoted {
                with.orders.append(Scenario.Line(
                    id: PlanInput.lineKey(line.id), customer: customer, sku: line.sku, quantity: line.open,
                    requestedPeriod: line.requestedWeek, placedAt: moment.now))
            }
            return QuoteRead(
                scenario: with, positions: Array(firstQuoted..<with.orders.count), quoted: quoted, asOf: week,
                hold: try Self.holdReason(customer, tx))
        }
        let outcome = try await allocate(read)
        return OrderQuote(
            customer: customer, orderID: nil, reference: nil, asOf: read.asOf, hold: read.hold,
            lines: outcome.lines, displaced: outcome.displaced)
    }

    /// Quotes a stored order (`order create --quote`): what the re-run gives
    /// its open lines, compared with the same re-run without them.
    ///
    /// - Throws: `NotFound` for an unknown order; `ScenarioError` when the
    ///   stored data cannot be allocated.
    public func quote(order id: Int, asOf: Period? = nil) async throws -> OrderQuote {
        let (order, read) = try snapshot { tx in
            guard let order = try OrderStore(tx).find(id) else { throw NotFound("order \(id)") }
            let week = try asOf ?? QuoteMoment(tx).planWeek
            let input = try timed("read the input") {
                try PlanInput.read(asOf: week, skus: Self.skus(order.lines.map(\.sku)), detail: .forAllocating, inTransaction: tx)
            }
            let quoted = order.lines.map {
                QuotedLine(id: $0.id, number: $0.number, customer: order.customer, sku: $0.sku, quantity: $0.quantity,
                           open: $0.open, requestedWeek: $0.requestedWeek)
            }
            // The order's open lines in the input (a line with nothing open is not there).
            let positions = quoted.compactMap { input.lines.position(ofKey: PlanInput.lineKey($0.id)) }
            return (order, QuoteRead(
                scenario: input.scenario, positions: positions, quoted: quoted, asOf: week,
                hold: try Self.holdReason(order.customer, tx)))
        }
        let outcome = try await allocate(read)
        return OrderQuote(
            customer: order.customer, orderID: order.id, reference: order.reference, asOf: read.asOf,
            hold: read.hold, lines: outcome.lines, displaced: outcome.displaced)
    }

    /// The engine with and without the quoted lines, outside the read's
    /// transaction, its time logged (`--verbose`).
    private func allocate(_ read: QuoteRead) async throws -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = try await Self.outcome(scenario: read.scenario, positions: read.positions, quoted: read.quoted)
        connection.logger.info("quote: allocated with and without the order", metadata: ["elapsed": "\(clock.now - start)"])
        return outcome
    }

    /// `body`'s value, its time logged (at info level: `--verbose`) as `step`.
    private func timed<Value>(_ step: String, _ body: () throws -> Value) rethrows -> Value {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try body()
        connection.logger.info("quote: \(step)", metadata: ["elapsed": "\(clock.now - start)"])
        return value
    }

    /// Runs `body` in one read-only, repeatable-read transaction.
    private func snapshot<Value>(_ body: (Connection) throws -> Value) throws -> Value {
        try connection.transaction(isolation: .repeatableRead) { tx in
            try tx.execute("SET TRANSACTION READ ONLY")
            return try body(tx)
        }
    }

    /// The distinct SKUs, sorted.
    static func skus(_ skus: [String]) -> [String] { Array(Set(skus)).sorted() }

    static func holdReason(_ customer: String, _ tx: Connection) throws -> String? {
        guard let record = try CustomerStore(tx).find(customer) else { throw NotFound("customer \(customer)") }
        return record.customer.holdReason
    }
}

/// What a quote read in its snapshot: the scenario holding the quoted
/// lines (at `positions` in its orders), and what the quote reports besides.
struct QuoteRead {
    let scenario: Scenario
    let positions: [Int]
    let quoted: [QuotedLine]
    let asOf: Period
    let hold: String?
}

/// A line being quoted: its database id (invented for an order not entered), and what it asks.
struct QuotedLine {
    let id: Int
    let number: Int
    let customer: String
    let sku: String
    let quantity: Int
    /// Chips still open (all of them for an order not entered).
    let open: Int
    let requestedWeek: Period
}

/// What a quote reads besides the plan input, from the same snapshot.
struct QuoteMoment {
    /// The current plan's as-of week, or the current ISO week when there is no plan.
    let planWeek: Period
    /// The database's clock as it would stamp an order entered now (microseconds).
    let now: Timestamp
    /// The greatest order line id stored (0 when none).
    let lastLineID: Int

    init(_ tx: Connection) throws {
        let row = try tx.queryOne(
            """
            SELECT coalesce((SELECT r.as_of FROM current_plan c JOIN allocation_runs r ON r.id = c.run_id),
                            iso_week_of(now()))::text AS week,
                   now()::text AS now,
                   (SELECT coalesce(max(id), 0) FROM order_lines) AS last_line
            """)
        planWeek = try row.decode("week", as: Period.self)
        now = try row.decode("now", as: Timestamp.self)
        lastLineID = try row.decode("last_line")
    }
}

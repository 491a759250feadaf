import Allocation
import Database
import Values

/// An allocation of the result in the order it is written: its sort key
/// (line id, week), its index in `result.allocations` and its line's
/// position in `scenario.orders`.
typealias AllocationRow = (key: Int, allocation: Int32, line: Int32)

/// The rows of a run, written with COPY inside `save`'s transaction.
extension RunStore {
    /// The allocations, into the run's own table, which `allocation_run_commit`
    /// then attaches as the run's partition of `allocations` (schemas 006 and
    /// 007): loaded before it has an index, its primary key is built in one
    /// sorted pass.
    func writeAllocations(
        _ tx: Connection, run: Int, result: AllocationResult, rows: [AllocationRow], input: PlanInput, texts: inout CopyTexts
    ) throws {
        let lines = input.lines
        let lotSizeOf = Dictionary(uniqueKeysWithValues: input.scenario.products.map { ($0.sku, $0.lotSize) })
        let lotSize = lines.skus.map { lotSizeOf[$0] ?? 1 }
        // Made by allocation_run_begin from the run's integer id.
        let partition = "public.allocations_run_\(run)"
        try tx.copyIn("COPY \(partition) (run_id, order_line_id, week, quantity, sku, lot_size, customer_id) FROM STDIN") { writer in
            for row in rows {
                let a = result.allocations[Int(row.allocation)]
                let line = Int(row.line)
                let sku = Int(lines.sku[line])
                writer.field(run)
                writer.field(lines.ids[line])
                writer.field(copyText: texts.week(a.period))
                writer.field(a.quantity)
                writer.field(copyText: texts.skus[sku])
                writer.field(lotSize[sku])
                writer.field(copyText: texts.customers[Int(lines.customer[line])])
                try writer.endRow()
            }
        }
    }

    /// One row per customer, SKU and week: demanded, guaranteed, allocated, and why.
    func writeExplanations(
        _ tx: Connection, run: Int, result: AllocationResult, scenario: Scenario, texts: inout CopyTexts
    ) throws {
        try tx.copyIn(
            "COPY allocation_explanations (run_id, customer_id, sku, week, demand, fixed, guaranteed, allocated, tier, weight, held) FROM STDIN"
        ) { writer in
            // In primary key order (customer, SKU, week), so the index grows at its
            // right edge: customers and SKUs ranked bytewise once, then integer keys sorted.
            struct Who { let rank: Int; let id: [UInt8]; let weight: String }
            var who: [String: Who] = [:]
            for (rank, customer) in scenario.customers.sorted(by: { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }).enumerated() {
                who[customer.id] = Who(rank: rank, id: CopyTexts.escaped(customer.id), weight: customer.weight.description)
            }
            var skuRank: [String: Int] = [:]
            for (rank, sku) in scenario.products.map(\.sku).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                skuRank[sku] = rank
            }
            var order: [(key: Int, row: Int)] = []
            order.reserveCapacity(result.customers.count)
            for (n, c) in result.customers.enumerated() {
                let key = (who[c.customer]?.rank ?? 0) << 40 | (skuRank[c.sku] ?? 0) << 24 | c.period.ordinal & 0xFF_FFFF
                order.append((key, n))
            }
            order.sort { $0.key < $1.key }
            for (_, n) in order {
                let c = result.customers[n]
                let customer = who[c.customer]
                writer.field(run)
                writer.field(copyText: customer?.id ?? texts.text(c.customer))
                writer.field(copyText: texts.text(c.sku))
                writer.field(copyText: texts.week(c.period))
                writer.field(c.demand)
                writer.field(c.fixed)
                writer.field(c.guaranteed)
                writer.field(c.allocated)
                writer.field(c.tier)
                writer.field(customer?.weight ?? c.weight.description)
                writer.field(c.held)
                try writer.endRow()
            }
        }
    }

    /// The stock flow per SKU and week, with the chips internal customers got
    /// (`RunFigures.internalChipsByWeek`), for the internal-share report.
    func writePeriods(
        _ tx: Connection, run: Int, result: AllocationResult, input: PlanInput, internalChips: [String: [Period: Int]]
    ) throws {
        try tx.copyIn("COPY allocation_periods (run_id, sku, week, supply, available, allocated, carry, internal_allocated) FROM STDIN") { writer in
            for p in result.periods {
                writer.field(run)
                writer.field(p.sku)
                writer.field(p.period.description)
                writer.field(input.supply[p.sku]?[p.period] ?? 0)
                writer.field(p.available)
                writer.field(p.allocated)
                writer.field(p.carry)
                writer.field(internalChips[p.sku]?[p.period] ?? 0)
                try writer.endRow()
            }
        }
    }

    /// The per-run figures the reports read (value per customer and week,
    /// chips per customer and requested week), summed here from the result
    /// so that reports never scan a million allocation rows.
    func writeSummaries(
        _ tx: Connection, run: Int, result: AllocationResult, rows: [AllocationRow],
        input: PlanInput, texts: inout CopyTexts
    ) throws {
        let lines = input.lines
        struct ValueKey: Hashable { let customer: Int32; let week: Period; let currency: Int32 }
        struct BookKey: Hashable { let customer: Int32; let requested: Period }
        // Value in cents, in 128 bits: a line's price (below 10^16 cents) times
        // its chips, summed over any number of lines, cannot overflow.
        var values: [ValueKey: (chips: Int, cents: Int128)] = [:]
        var book: [BookKey: Int] = [:]
        for row in rows {
            let a = result.allocations[Int(row.allocation)]
            let line = Int(row.line)
            let customer = lines.customer[line]
            let key = ValueKey(customer: customer, week: a.period, currency: lines.currency[line])
            let current = values[key] ?? (0, 0)
            values[key] = (current.chips + a.quantity, current.cents + Int128(lines.cents[line]) * Int128(a.quantity))
            book[BookKey(customer: customer, requested: input.scenario.orders[line].requestedPeriod), default: 0] += a.quantity
        }
        try tx.copyIn("COPY allocation_values (run_id, customer_id, week, currency, chips, value) FROM STDIN") { writer in
            for (key, total) in values {
                writer.field(run)
                writer.field(copyText: texts.customers[Int(key.customer)])
                writer.field(copyText: texts.week(key.week))
                writer.field(copyText: texts.currencies[Int(key.currency)])
                writer.field(total.chips)
                let fraction = total.cents % 100
                writer.field("\(total.cents / 100).\(fraction < 10 ? "0" : "")\(fraction)")
                try writer.endRow()
            }
        }
        try tx.copyIn("COPY allocation_order_book (run_id, customer_id, requested_week, chips) FROM STDIN") { writer in
            for (key, chips) in book {
                writer.field(run)
                writer.field(copyText: texts.customers[Int(key.customer)])
                writer.field(copyText: texts.week(key.requested))
                writer.field(chips)
                try writer.endRow()
            }
        }
        struct BacklogKey: Hashable { let customer: Int32; let requested: Period; let held: Bool }
        var backlog: [BacklogKey: (lines: Int, chips: Int)] = [:]
        for b in result.backlog {
            guard let line = lines.position(ofKey: b.order) else { continue }
            let key = BacklogKey(customer: lines.customer[line], requested: input.scenario.orders[line].requestedPeriod, held: b.held)
            let current = backlog[key] ?? (0, 0)
            backlog[key] = (current.lines + 1, current.chips + b.quantity)
        }
        try tx.copyIn("COPY allocation_backlog_summary (run_id, customer_id, requested_week, held, lines, chips) FROM STDIN") { writer in
            for (key, total) in backlog {
                writer.field(run)
                writer.field(copyText: texts.customers[Int(key.customer)])
                writer.field(copyText: texts.week(key.requested))
                writer.field(key.held)
                writer.field(total.lines)
                writer.field(total.chips)
                try writer.endRow()
            }
        }
    }
}

extension RunStore {
    /// The fixed chips the engine released, per line and week, with the
    /// line's SKU and customer (usually none: then nothing is sent).
    func writeReleases(_ tx: Connection, run: Int, result: AllocationResult, input: PlanInput, texts: inout CopyTexts) throws {
        guard !result.released.isEmpty else { return }
        let lines = input.lines
        var rows: [(id: Int, line: Int, release: AllocationResult.Allocation)] = []
        rows.reserveCapacity(result.released.count)
        for release in result.released {
            guard let line = lines.position(ofKey: release.order) else {
                throw RunResultMismatch(action: "releases chips of", lineKey: release.order)
            }
            rows.append((lines.ids[line], line, release))
        }
        // In primary key order (line id, week).
        rows.sort { ($0.id, $0.release.period) < ($1.id, $1.release.period) }
        try tx.copyIn("COPY allocation_releases (run_id, order_line_id, week, quantity, sku, customer_id) FROM STDIN") { writer in
            for row in rows {
                writer.field(run)
                writer.field(row.id)
                writer.field(copyText: texts.week(row.release.period))
                writer.field(row.release.quantity)
                writer.field(copyText: texts.skus[Int(lines.sku[row.line])])
                writer.field(copyText: texts.customers[Int(lines.customer[row.line])])
                try writer.endRow()
            }
        }
    }
}

import Allocation
import Database
import Domain
import Foundation
import Store
import Values

/// A generated world in the database, deterministic from its seed: the
/// products, customers, supply, stock and open orders of a
/// `ScenarioGenerator` scenario (orders placed at its whole hours, so
/// placed-at ties occur), with every kind of rule the engine applies:
/// customers on credit hold or awaiting export clearance, contract minimums
/// and caps, an internal customer under a 0.6 floor, shipment history, two
/// frozen weeks of a stored plan, and, for odd seeds, a first week whose
/// supply was cut after that plan was frozen (so the next run releases lots).
public struct GeneratedWorld {
    public let seed: UInt64
    public let asOf: Period
    /// Per SKU, in the generator's order.
    public let skus: [(sku: String, lotSize: Int)]
    /// Every customer id, the internal one first.
    public let customers: [String]
    /// Customers on hold; customers not on hold with a cap, with a minimum.
    public let held: [String], capped: [String], guaranteed: [String]

    /// Loads the world as the database owner and stores its first plan.
    public static func load(seed: UInt64, lines: Int = 400, on connection: Connection) throws -> GeneratedWorld {
        let asOf = Period("2027-W10")!
        let methods: [Policy.Method] = [.fair, .proportional, .turnAndEarn]
        let scenario = ScenarioGenerator(lines: lines, customers: 12, skus: 3, weeks: 6, seed: seed, firstWeek: asOf).generate()
        let products = ProductStore(connection)
        for p in scenario.products {
            try products.add(Domain.Product(sku: p.sku, name: p.sku, lotSize: p.lotSize, unitPrice: 100, currency: "USD"))
        }
        let lotSize = Dictionary(uniqueKeysWithValues: scenario.products.map { ($0.sku, $0.lotSize) })

        // Customers: the generator's tiers and weights; holds, minimums and caps by position.
        let customerStore = CustomerStore(connection)
        var held: [String] = [], capped: [String] = [], guaranteed: [String] = []
        for (n, c) in scenario.customers.enumerated() {
            let creditHold = n % 5 == 2
            let pending = n % 7 == 4
            try customerStore.add(Domain.Customer(
                id: c.id, name: c.id, country: "DE", isInternal: c.isInternal, tier: c.tier,
                weight: Decimal(string: c.weight.description)!, compliance: pending ? .pending : .cleared, creditHold: creditHold))
            if creditHold || pending { held.append(c.id) }
            guard !c.isInternal, !creditHold, !pending else { continue }
            var terms = CustomerChanges()
            let product = scenario.products[n % scenario.products.count]
            if n % 3 == 1 {
                terms.minimums[product.sku] = product.lotSize * (1 + n % 4)
                guaranteed.append(c.id)
            } else if n % 3 == 2 {
                terms.maximums[product.sku] = product.lotSize * (2 + n % 5)
                capped.append(c.id)
            }
            if !terms.isEmpty { try customerStore.update(c.id, terms) }
        }

        let supply = SupplyStore(connection)
        for row in scenario.supply {
            try supply.set(SupplyEntry(sku: row.sku, week: row.period, quantity: row.quantity))
        }
        let inventory = InventoryStore(connection)
        for p in scenario.products where p.onHand > 0 {
            _ = try inventory.receive(sku: p.sku, quantity: p.onHand, note: "opening stock")
        }

        // Open orders, one line each, placed at the generator's times.
        let orders = OrderStore(connection)
        for line in scenario.orders {
            let entry = try orders.create(OrderDraft(
                customer: line.customer, reference: line.id,
                lines: [LineDraft(number: 1, sku: line.sku, quantity: line.quantity, requestedWeek: line.requestedPeriod)]))
            try connection.execute("UPDATE orders SET placed_at = $1::timestamptz WHERE id = $2", [line.placedAt.text, entry.order.id])
        }

        // History: the generator's, and some for every fourth customer not on hold;
        // each row an order shipped in full in its week (stock received for it
        // first), written as the owner since no plan stands behind it.
        var history = scenario.history
        for (n, c) in scenario.customers.enumerated() where n % 4 == 3 && !held.contains(c.id) {
            let product = scenario.products[n % scenario.products.count]
            history.append(HistoryRow(customer: c.id, sku: product.sku, period: asOf.adding(-2 - n % 3), quantity: product.lotSize * (1 + n)))
        }
        for (n, row) in history.enumerated() {
            let chips = max(1, row.quantity / lotSize[row.sku]!) * lotSize[row.sku]!
            let entry = try orders.create(OrderDraft(
                customer: row.customer, reference: "HIST-\(n)",
                lines: [LineDraft(number: 1, sku: row.sku, quantity: chips, requestedWeek: row.period)]))
            let line = entry.order.lines[0].id
            _ = try inventory.receive(sku: row.sku, quantity: chips, note: "for history")
            try connection.execute(
                """
                INSERT INTO inventory_movements (sku, kind, quantity, order_line_id, at, plan_week, xact)
                VALUES ($1, 'shipment', $2, $3, iso_week_monday($4) + interval '2 days', $4, pg_current_xact_id())
                """, [row.sku, -chips, line, row.period.description])
            try connection.execute("UPDATE order_lines SET shipped_qty = quantity WHERE id = $1", [line])
            try connection.execute("UPDATE orders SET placed_at = iso_week_monday($1) WHERE id = $2", [row.period.description, entry.order.id])
        }

        _ = try PolicyStore(connection).set(PolicyChanges(
            method: methods[Int(seed % 3)], internalFloor: Decimal(string: "0.6")!, frozenWeeks: 2))
        let input = try PlanInput.read(asOf: asOf, on: connection)
        _ = try RunStore(connection).save(try Allocator().allocate(input.scenario), input: input, startedAt: Date(), computeMilliseconds: 1)
        if seed % 2 == 1 {
            let first = scenario.products[0]
            try supply.set(SupplyEntry(sku: first.sku, week: asOf, quantity: first.lotSize))
        }
        return GeneratedWorld(
            seed: seed, asOf: asOf, skus: scenario.products.map { ($0.sku, $0.lotSize) },
            customers: scenario.customers.map(\.id), held: held, capped: capped, guaranteed: guaranteed)
    }

    /// An order to quote, deterministic from the seed: a customer of each
    /// kind in turn (internal, capped, guaranteed, held, any other), two or three
    /// lines of whole lots over the horizon, one of them requested before it.
    public func order() throws -> (customer: String, lines: [LineDraft]) {
        var rng = SplitMix64(seed: seed &* 7919)
        let kinds = [[customers[0]], capped, guaranteed, held, customers.filter { !held.contains($0) }]
        let pool = kinds[Int(seed % UInt64(kinds.count))].isEmpty ? customers : kinds[Int(seed % UInt64(kinds.count))]
        let customer = pool[rng.int(in: 0...(pool.count - 1))]
        var lines: [LineDraft] = []
        for number in 1...rng.int(in: 2...3) {
            let product = skus[number == 1 ? 0 : rng.int(in: 0...(skus.count - 1))]
            let week = asOf.adding(number == 2 ? -1 : rng.int(in: 0...4))
            lines.append(try LineDraft(
                number: number, sku: product.sku, quantity: product.lotSize * rng.int(in: 1...12), requestedWeek: week))
        }
        return (customer, lines)
    }
}

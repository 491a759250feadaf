import Database

/// `chipsales db check`: every invariant on the stored data, checked set-wise.
public struct InvariantCheck {
    let connection: Connection

    public init(_ connection: Connection) { self.connection = connection }

    /// One sentence per violation; empty when the data is sound.
    public func violations() throws -> [String] {
        try run(Self.invariants)
    }

    /// Each invariant: its name and a query that returns one sentence per
    /// row that breaks it.
    static let invariants: [(String, String)] = [
        ("allocations within supply per week", """
            SELECT format('run %s: %s %s allocates %s chips of %s available', a.run_id, a.sku, a.week, sum(a.quantity), p.available)
            FROM allocations a
            JOIN allocation_periods p ON p.run_id = a.run_id AND p.sku = a.sku AND p.week = a.week
            WHERE a.run_id = (SELECT run_id FROM current_plan)
            GROUP BY a.run_id, a.sku, a.week, p.available HAVING sum(a.quantity) > p.available
            UNION ALL
            SELECT format('run %s: %s %s allocates chips in a week the run had no stock flow for', a.run_id, a.sku, a.week)
            FROM allocations a
            WHERE a.run_id = (SELECT run_id FROM current_plan)
              AND NOT EXISTS (SELECT 1 FROM allocation_periods p WHERE p.run_id = a.run_id AND p.sku = a.sku AND p.week = a.week)
            """),
        ("allocations within each line's open quantity", """
            SELECT format('order %s line %s: the plan holds %s chips but only %s are open', l.order_id, l.line_no, sum(a.quantity),
                          order_line_open(l))
            FROM allocations a JOIN order_lines l ON l.id = a.order_line_id
            WHERE a.run_id = (SELECT run_id FROM current_plan)
            GROUP BY l.id HAVING sum(a.quantity) > order_line_open(l)
            UNION ALL
            SELECT format('run %s: allocation to unknown order line %s', a.run_id, a.order_line_id)
            FROM allocations a
            WHERE a.run_id = (SELECT run_id FROM current_plan)
              AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.id = a.order_line_id)
            """),
        // A run plans no line before its requested week; a line moved later gives those weeks up (schema 012).
        ("allocations from each line's requested week on", """
            SELECT format('order %s line %s: the plan holds %s chips in %s, before the requested week %s', l.order_id, l.line_no,
                          a.quantity, a.week, l.requested_week)
            FROM allocations a JOIN order_lines l ON l.id = a.order_line_id
            WHERE a.run_id = (SELECT run_id FROM current_plan) AND a.week < l.requested_week COLLATE "C"
            """),
        ("every run row belongs to a stored run", """
            SELECT format('%s rows of unknown run %s', t.what, t.run_id) FROM (
                SELECT 'allocation' AS what, run_id FROM allocations
                UNION SELECT 'explanation', run_id FROM allocation_explanations
                UNION SELECT 'backlog', run_id FROM allocation_backlog_summary
                UNION SELECT 'release', run_id FROM allocation_releases
            ) t WHERE NOT EXISTS (SELECT 1 FROM allocation_runs r WHERE r.id = t.run_id)
            UNION ALL
            SELECT format('table %s holds a run''s allocations but is not a partition of allocations', c.relname)
            FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname ~ '^allocations_run_[0-9]+$'
              AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)
            """),
        ("whole lots", """
            SELECT format('run %s: line %s in %s holds %s chips, not whole lots of %s', a.run_id, a.order_line_id, a.week, a.quantity, p.lot_size)
            FROM allocations a JOIN products p ON p.sku = a.sku WHERE a.quantity % p.lot_size <> 0
            UNION ALL
            SELECT format('order %s line %s: %s/%s/%s chips ordered/cancelled/shipped are not whole lots of %s', l.order_id, l.line_no,
                          l.quantity, l.cancelled_qty, l.shipped_qty, p.lot_size)
            FROM order_lines l JOIN products p ON p.sku = l.sku
            WHERE l.quantity % p.lot_size <> 0 OR l.cancelled_qty % p.lot_size <> 0 OR l.shipped_qty % p.lot_size <> 0
            """),
        ("stock never negative", """
            SELECT format('%s: %s on hand', sku, on_hand) FROM inventory_balances WHERE on_hand < 0
            UNION ALL
            SELECT format('%s: balance %s differs from the ledger''s %s', b.sku, b.on_hand, coalesce(m.total, 0))
            FROM inventory_balances b
            LEFT JOIN (SELECT sku, sum(quantity) AS total FROM inventory_movements GROUP BY sku) m ON m.sku = b.sku
            WHERE b.on_hand <> coalesce(m.total, 0)
            UNION ALL
            SELECT format('%s: the ledger goes negative at movement %s (%s)', sku, id, running)
            FROM (SELECT sku, id, sum(quantity) OVER (PARTITION BY sku ORDER BY id) AS running FROM inventory_movements) r
            WHERE running < 0
            """),
        // Kept by per-statement triggers (schema 005), so confirmed here too.
        ("order references resolve", """
            SELECT format('order %s: unknown customer %s', o.id, o.customer_id) FROM orders o
            WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id)
            UNION ALL
            SELECT format('order line %s: unknown order %s', l.id, l.order_id) FROM order_lines l
            WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = l.order_id)
            UNION ALL
            SELECT format('order %s line %s: product %s has no lot size %s', l.order_id, l.line_no, l.sku, l.lot_size)
            FROM order_lines l WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.sku = l.sku AND p.lot_size = l.lot_size)
            UNION ALL
            SELECT format('order event %s: unknown order %s', e.id, e.order_id) FROM order_events e
            WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = e.order_id)
            """),
        // Refused by the database since schema 013; older orders are checked here.
        ("every order has lines", """
            SELECT format('order %s (%s/%s) has no lines', o.id, o.customer_id, o.reference) FROM orders o
            WHERE NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)
            ORDER BY o.id
            """),
        ("shipments match the ledger", """
            SELECT format('order %s line %s: shipped %s but the ledger shows %s', l.order_id, l.line_no, l.shipped_qty, coalesce(-m.total, 0))
            FROM order_lines l
            LEFT JOIN (SELECT order_line_id, sum(quantity) AS total FROM inventory_movements WHERE kind = 'shipment' GROUP BY order_line_id) m
                   ON m.order_line_id = l.id
            WHERE l.shipped_qty <> coalesce(-m.total, 0)
            """),
        // Schema 011: each shipment since then took its chips out of the plan's
        // weeks up to its own week, unless it was marked beyond the plan.
        ("shipments within the plan", """
            SELECT format('order %s line %s: movement %s shipped %s chips on %s, but the plan had only %s due through %s, and the shipment is not marked beyond the plan',
                          l.order_id, l.line_no, m.id, -m.quantity, to_char(m.at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), d.due, m.plan_week)
            FROM inventory_movements m
            JOIN order_lines l ON l.id = m.order_line_id
            CROSS JOIN LATERAL (SELECT coalesce(sum(x.quantity), 0) AS due FROM shipment_draws x
                                WHERE x.movement_id = m.id AND x.week <= m.plan_week::text) d
            WHERE m.kind = 'shipment' AND m.plan_week IS NOT NULL AND NOT m.beyond_plan AND -m.quantity > d.due
            UNION ALL
            SELECT format('order %s line %s: movement %s took %s chips out of the plan but shipped %s', l.order_id, l.line_no,
                          m.id, d.drawn, -m.quantity)
            FROM inventory_movements m
            JOIN order_lines l ON l.id = m.order_line_id
            JOIN (SELECT movement_id, sum(quantity) AS drawn FROM shipment_draws GROUP BY movement_id) d ON d.movement_id = m.id
            WHERE d.drawn > -m.quantity
            UNION ALL
            SELECT format('movement %s: chips drawn from run %s for order line %s, but it is not that run''s shipment of that line',
                          x.movement_id, x.run_id, x.order_line_id)
            FROM shipment_draws x JOIN inventory_movements m ON m.id = x.movement_id
            WHERE m.kind <> 'shipment' OR m.order_line_id <> x.order_line_id OR m.plan_run IS DISTINCT FROM x.run_id
            """),
    ]

    /// One sentence per fact worth a look that breaks no invariant: every
    /// shipment recorded as beyond the plan, with who, when and why.
    public func warnings() throws -> [String] {
        try run([
            ("shipped beyond the plan", """
                SELECT format('order %s line %s: %s chips shipped on %s by %s, %s of them due through %s%s; reason: %s',
                              l.order_id, l.line_no, -m.quantity, to_char(m.at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), m.actor, d.due,
                              m.plan_week, CASE WHEN m.plan_run IS NULL THEN ' (no plan)' ELSE format(' (run %s)', m.plan_run) END, m.note)
                FROM inventory_movements m
                JOIN order_lines l ON l.id = m.order_line_id
                CROSS JOIN LATERAL (SELECT coalesce(sum(x.quantity), 0) AS due FROM shipment_draws x
                                    WHERE x.movement_id = m.id AND x.week <= m.plan_week::text) d
                WHERE m.beyond_plan
                ORDER BY m.id
                """),
        ])
    }

    private func run(_ checks: [(String, String)]) throws -> [String] {
        var found: [String] = []
        for (name, sql) in checks {
            for row in try connection.execute(sql) {
                found.append("\(name): \(row.text(at: 0) ?? "?")")
            }
        }
        return found
    }
}

import Database
import Domain
import Foundation
import Values

/// Orders and their lines in PostgreSQL. Every change writes its audit
/// event through triggers in the same transaction.
public struct OrderStore {
    let connection: Connection

    public init(_ connection: Connection) { self.connection = connection }

    /// Stores a new order, idempotently: entering the same order again (same
    /// customer, reference and lines) answers with the existing order.
    ///
    /// The draft is checked with the rules every entry path shares
    /// (`OrderDraft.problems`): a known customer, known SKUs, whole lots, one
    /// currency, and, for a new order, weeks that `weeks` accepts.
    ///
    /// - Throws: `OrderConflict` when the reference exists with other lines;
    ///   `ValidationFailures` listing every problem of the draft.
    public func create(_ draft: OrderDraft, weeks: EntryWeeks = .fromThisWeek) throws -> OrderEntry {
        try connection.transaction { tx in
            let existing: Int? = try tx.queryFirst(
                "SELECT id FROM orders WHERE customer_id = $1 AND reference = $2", [draft.customer, draft.reference]
            )?.decode("id")
            if let existing, let order = try find(existing, on: tx), order.differences(from: draft).isEmpty {
                return .alreadyRecorded(order)
            }
            // A recorded order is compared, not entered: the week rule is for new demand.
            let problems = draft.problems(in: try Self.catalogue(customer: draft.customer, on: tx), weeks: existing == nil ? weeks : .includingPastWeeks)
            if !problems.isEmpty { throw ValidationFailures(problems) }
            let inserted = try tx.queryFirst(
                """
                INSERT INTO orders (customer_id, reference) VALUES ($1, $2)
                ON CONFLICT (customer_id, reference) DO NOTHING RETURNING id
                """, [draft.customer, draft.reference])
            guard let id: Int = try inserted?.decode("id") else {
                // Recorded before (perhaps a moment ago by another session): compare.
                guard let existing: Int = try tx.queryFirst(
                    "SELECT id FROM orders WHERE customer_id = $1 AND reference = $2", [draft.customer, draft.reference]
                )?.decode("id") else {
                    throw DatabaseError(kind: .decoding, message: "order \(draft.customer)/\(draft.reference) was neither stored nor found")
                }
                guard let order = try find(existing, on: tx) else {
                    throw OrderConflict.noLines(orderID: existing, customer: draft.customer, reference: draft.reference)
                }
                let differences = order.differences(from: draft)
                guard differences.isEmpty else {
                    throw OrderConflict(orderID: order.id, customer: draft.customer, reference: draft.reference, differences: differences)
                }
                return .alreadyRecorded(order)
            }
            // One statement for all lines, so the audit trigger writes one 'created' event.
            try insertLines(draft.lines, order: id, on: tx)
            guard let order = try find(id, on: tx) else {
                throw DatabaseError(kind: .decoding, message: "order \(id) was stored without its lines")
            }
            return .created(order)
        }
    }

    /// Inserts lines into order `id` in one statement, each at its product's
    /// lot size and currency and, when it gives none, its list price. The
    /// audit trigger writes one 'created' event for a new order, one 'added'
    /// event per line for an order that had lines already (schema 012).
    func insertLines(_ lines: [LineDraft], order id: Int, on tx: Connection) throws {
        try tx.execute(
            """
            INSERT INTO order_lines (order_id, line_no, sku, lot_size, quantity, requested_week, unit_price, currency)
            SELECT $1, x.line_no, p.sku, p.lot_size, x.quantity, x.week, coalesce(x.unit_price, p.unit_price), p.currency
            FROM jsonb_to_recordset($2::jsonb) AS x(line_no int, sku text, quantity int, week text, unit_price numeric)
            JOIN products p ON p.sku = x.sku
            ORDER BY x.line_no
            """,
            [id, try Self.linesJSON(lines)])
    }

    /// The lines as a JSON array, passed as one parameter.
    static func linesJSON(_ lines: [LineDraft]) throws -> String {
        struct Line: Encodable {
            let line_no: Int, sku: String, quantity: Int, week: String, unit_price: Decimal?
        }
        let encoded = try JSONEncoder().encode(lines.map {
            Line(line_no: $0.number, sku: $0.sku, quantity: $0.quantity, week: $0.requestedWeek.description, unit_price: $0.unitPrice)
        })
        return String(decoding: encoded, as: UTF8.self)
    }

    /// What an order of `customer` is checked against (when entered, and when
    /// quoted): the products, and its customer (every customer when it is
    /// unknown, to suggest the nearest one).
    static func catalogue(customer: String, on tx: Connection) throws -> OrderCatalogue {
        let known = try tx.queryFirst("SELECT 1 AS ok FROM customers WHERE id = $1", [customer]) != nil
        let customers = known
            ? [customer]
            : try tx.execute("SELECT id FROM customers").map { try $0.decode("id", as: String.self) }
        return OrderCatalogue(products: try Self.productTerms(on: tx), customers: Set(customers))
    }

    /// Every product's lot size and currency, by SKU.
    static func productTerms(on tx: Connection) throws -> [String: OrderCatalogue.ProductTerms] {
        var products: [String: OrderCatalogue.ProductTerms] = [:]
        for row in try tx.execute("SELECT sku, lot_size, currency FROM products") {
            products[try row.decode("sku")] = OrderCatalogue.ProductTerms(
                lotSize: try row.decode("lot_size"), currency: try row.decode("currency"))
        }
        return products
    }

    /// One order with its lines, or `nil`.
    public func find(_ id: Int) throws -> Order? { try find(id, on: connection) }

    /// An order the transaction has just read or changed, or `NotFound`
    /// (never a crash) should it be gone.
    func existing(_ id: Int, on connection: Connection) throws -> Order {
        guard let order = try find(id, on: connection) else { throw NotFound("order \(id)") }
        return order
    }

    func find(_ id: Int, on connection: Connection) throws -> Order? {
        guard let head = try connection.queryFirst(
            "SELECT id, customer_id, reference, placed_at, status FROM order_status WHERE id = $1", [id]) else { return nil }
        let lines = try connection.execute(
            """
            SELECT id, line_no, sku, quantity, requested_week::text AS week, unit_price, currency,
                   cancelled_qty, shipped_qty, status
            FROM order_line_status WHERE order_id = $1 ORDER BY line_no
            """, [id]
        ).map { row in
            OrderLine(
                id: try row.decode("id"), number: try row.decode("line_no"), sku: try row.decode("sku"),
                quantity: try row.decode("quantity"), requestedWeek: try row.decode("week", as: Period.self),
                unitPrice: try row.decode("unit_price"), currency: try row.decode("currency"),
                cancelled: try row.decode("cancelled_qty"), shipped: try row.decode("shipped_qty"),
                status: try Self.status(row, in: "order_line_status"))
        }
        return Order(
            id: try head.decode("id"), customer: try head.decode("customer_id"), reference: try head.decode("reference"),
            placedAt: try head.decode("placed_at"), status: try Self.status(head, in: "order_status"),
            lines: lines)
    }

    /// Orders, newest first, optionally filtered by customer, status or SKU.
    public func list(customer: String? = nil, status: OrderStatus? = nil, sku: String? = nil, limit: Int = 1000) throws -> [OrderSummary] {
        try page(customer: customer, status: status, sku: sku, limit: limit).orders
    }

    /// One page of orders, newest first, and how many match in all.
    ///
    /// - Throws: `NotFound` when `customer` or `sku` names nothing.
    public func page(
        customer: String? = nil, status: OrderStatus? = nil, sku: String? = nil, limit: Int = 1000, offset: Int = 0
    ) throws -> OrderPage {
        try NotFound.requireKnown(customer: customer, sku: sku, on: connection)
        let rows = try connection.execute(
            """
            SELECT id, customer_id, reference, to_char(placed_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS placed_at, status,
                   line_count, ordered_qty, cancelled_qty, shipped_qty, open_qty, count(*) OVER () AS total
            FROM order_status o
            WHERE ($1::text IS NULL OR customer_id = $1) AND ($2::text IS NULL OR status = $2)
              AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.sku = $3))
            ORDER BY id DESC LIMIT $4 OFFSET $5
            """, [customer, status?.rawValue, sku, limit, offset])
        let orders = try rows.map { row in
            OrderSummary(
                id: try row.decode("id"), customer: try row.decode("customer_id"), reference: try row.decode("reference"),
                placedAt: try row.decode("placed_at"), status: try Self.status(row, in: "order_status"),
                lines: try row.decode("line_count"), ordered: try row.decode("ordered_qty"),
                cancelled: try row.decode("cancelled_qty"), shipped: try row.decode("shipped_qty"), open: try row.decode("open_qty"))
        }
        // Past the last page no row carries the total: count it.
        let total: Int = try rows.first?.decode("total") ?? (offset == 0 ? 0 : try connection.queryOne(
            """
            SELECT count(*) AS total FROM order_status o
            WHERE ($1::text IS NULL OR customer_id = $1) AND ($2::text IS NULL OR status = $2)
              AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.sku = $3))
            """, [customer, status?.rawValue, sku]).decode("total"))
        return OrderPage(orders: orders, total: total, offset: offset)
    }

    /// A stored status of an order or line (`table` is the view it was read
    /// from), or an error naming the row.
    static func status(_ row: Row, in table: String) throws -> OrderStatus {
        let text: String = try row.decode("status")
        guard let status = OrderStatus(rawValue: text) else {
            throw StoreInconsistency(
                table: table, row: "id \(try row.decode("id", as: Int.self))", column: "status", value: text,
                problem: "is not an order status this version knows")
        }
        return status
    }

    /// The audit trail of an order, oldest first.
    public func events(_ id: Int) throws -> [OrderEvent] {
        try connection.execute(
            """
            SELECT id, order_id, line_no, action, at, actor, reason, before::text AS before, after::text AS after
            FROM order_events WHERE order_id = $1 ORDER BY id
            """, [id]
        ).map { row in
            OrderEvent(
                id: try row.decode("id"), orderID: try row.decode("order_id"), line: try row.decodeIfPresent("line_no"),
                action: try row.decode("action"), at: try row.decode("at"), actor: try row.decode("actor"),
                reason: try row.decodeIfPresent("reason"), before: try row.decodeIfPresent("before"),
                after: try row.decodeIfPresent("after"))
        }
    }
}

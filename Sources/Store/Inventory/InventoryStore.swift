import Database
import Domain
import Foundation

/// The inventory ledger: append-only movements and never-negative stock.
public struct InventoryStore {
    let connection: Connection

    public init(_ connection: Connection) { self.connection = connection }

    /// Records chips arriving in the warehouse.
    ///
    /// - Returns: the new on-hand quantity.
    public func receive(sku: String, quantity: Int, note: String?) throws -> Int {
        let record = "receipt of \(sku)"
        guard quantity > 0, quantity <= maximumChips else {
            throw ValidationFailure(record: record, field: "quantity", problem: "must be between 1 and \(maximumChips) chips (got \(quantity))")
        }
        return try append(kind: .receipt, sku: sku, quantity: quantity, note: note)
    }

    /// Corrects stock by a signed quantity, with a reason.
    ///
    /// - Throws: `ValidationFailure` when the reason is empty or the result
    ///   would be negative; `NotFound` for an unknown SKU.
    public func adjust(sku: String, quantity: Int, reason: String) throws -> Int {
        let record = "adjustment of \(sku)"
        // `magnitude`, not `abs`: abs(Int.min) traps.
        guard quantity != 0, quantity.magnitude <= maximumChips.magnitude else {
            throw ValidationFailure(record: record, field: "quantity", problem: "must be a non-zero number of chips within ±\(maximumChips) (got \(quantity))")
        }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationFailure(record: record, field: "reason", problem: "must not be empty")
        }
        return try append(kind: .adjustment, sku: sku, quantity: quantity, note: reason)
    }

    private func append(kind: MovementKind, sku typedSKU: String, quantity: Int, note typedNote: String?) throws -> Int {
        let sku = try Product.validSKU(typedSKU)
        let record = "\(kind.rawValue) of \(sku)"
        // A receipt's note is optional: an empty one is none.
        let note = try typedNote.flatMap { text in
            kind != .adjustment && TextRules.trimmed(text).isEmpty
                ? nil : try TextRules.validText(text, record: record, field: kind == .adjustment ? "reason" : "note", maxLength: 500)
        }
        func wouldGoNegative(_ onHand: Int) -> ValidationFailure {
            ValidationFailure(
                record: record, field: "quantity",
                problem: "\(quantity) would leave \(onHand + quantity) on hand (on hand: \(onHand)); stock never goes negative")
        }
        do {
            return try connection.transaction { tx in
                // Checked first so a refused movement leaves no trace (not even a used id);
                // the balance row's CHECK still guards against a concurrent movement.
                if quantity < 0, let onHand: Int = try tx.queryFirst(
                    "SELECT on_hand FROM inventory_balances WHERE sku = $1", [sku])?.decode("on_hand"), onHand + quantity < 0 {
                    throw wouldGoNegative(onHand)
                }
                try tx.execute(
                    "INSERT INTO inventory_movements (sku, kind, quantity, note) VALUES ($1, $2::movement_kind, $3, $4)",
                    [sku, kind.rawValue, quantity, note])
                return try tx.queryOne("SELECT on_hand FROM inventory_balances WHERE sku = $1", [sku]).decode("on_hand")
            }
        } catch let error as DatabaseError where error.sqlState == .foreignKeyViolation {
            throw try NotFound.product(sku, on: connection)
        } catch let error as DatabaseError where error.constraint == "inventory_on_hand_not_negative" {
            throw wouldGoNegative(try onHand(sku))
        }
    }

    /// Chips of `sku` on hand now (0 for a SKU never received).
    public func onHand(_ sku: String) throws -> Int {
        try connection.queryFirst("SELECT on_hand FROM inventory_balances WHERE sku = $1", [sku])?.decode("on_hand") ?? 0
    }

    /// Stock per product (or of one), with totals per kind of movement.
    ///
    /// - Throws: `NotFound` when `sku` names no product.
    public func stock(sku: String? = nil) throws -> [StockLevel] {
        try NotFound.requireKnown(sku: sku, on: connection)
        return try connection.execute(
            """
            SELECT p.sku, p.name, p.lot_size, coalesce(b.on_hand, 0) AS on_hand,
                   coalesce(sum(m.quantity) FILTER (WHERE m.kind = 'receipt'), 0)::bigint AS received,
                   coalesce(-sum(m.quantity) FILTER (WHERE m.kind = 'shipment'), 0)::bigint AS shipped,
                   coalesce(sum(m.quantity) FILTER (WHERE m.kind = 'adjustment'), 0)::bigint AS adjusted
            FROM products p
            LEFT JOIN inventory_balances b ON b.sku = p.sku
            LEFT JOIN inventory_movements m ON m.sku = p.sku
            WHERE $1::text IS NULL OR p.sku = $1
            GROUP BY p.sku, b.on_hand ORDER BY p.sku
            """, [sku]
        ).map { row in
            StockLevel(
                sku: try row.decode("sku"), name: try row.decode("name"), lotSize: try row.decode("lot_size"),
                onHand: try row.decode("on_hand"), received: try row.decode("received"),
                shipped: try row.decode("shipped"), adjusted: try row.decode("adjusted"))
        }
    }

    /// The latest movements, newest first.
    ///
    /// - Throws: `NotFound` when `sku` names no product.
    /// How many movements are recorded, of `sku` or of every SKU (`movements`
    /// shows the latest of them).
    public func movementCount(sku: String? = nil) throws -> Int {
        try NotFound.requireKnown(sku: sku, on: connection)
        return try connection.queryOne(
            "SELECT count(*) AS n FROM inventory_movements WHERE $1::text IS NULL OR sku = $1", [sku]).decode("n")
    }

    public func movements(sku: String? = nil, limit: Int = 50) throws -> [Movement] {
        try NotFound.requireKnown(sku: sku, on: connection)
        return try connection.execute(
            """
            SELECT id, sku, kind::text AS kind, quantity, order_line_id, note, beyond_plan, at, actor FROM inventory_movements
            WHERE $1::text IS NULL OR sku = $1 ORDER BY id DESC LIMIT $2
            """, [sku, limit]
        ).map { row in
            let kindText: String = try row.decode("kind")
            guard let kind = MovementKind(rawValue: kindText) else {
                throw StoreInconsistency(
                    table: "inventory_movements", row: "id \(try row.decode("id", as: Int.self))", column: "kind", value: kindText,
                    problem: "is not a movement kind this version knows")
            }
            return Movement(
                id: try row.decode("id"), sku: try row.decode("sku"), kind: kind, quantity: try row.decode("quantity"),
                orderLineID: try row.decodeIfPresent("order_line_id"), note: try row.decodeIfPresent("note"),
                beyondPlan: try row.decode("beyond_plan"), at: try row.decode("at"), actor: try row.decode("actor"))
        }
    }
}

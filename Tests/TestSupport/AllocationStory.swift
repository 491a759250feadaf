import Database
import Domain
import Foundation
import Store
import Values

/// A small allocation story on top of `Fixtures.seed`: four weeks of TRN3
/// supply from 2027-W10 (10 lots a week), 3 lots on hand, and open orders
/// for about twice that from the internal cloud and three outside buyers
/// (nordic-ai is awaiting export clearance).
public enum AllocationStory {
    public static let asOf = Period("2027-W10")!

    public static func load(_ connection: Connection) throws {
        try Fixtures.seed(connection)
        let supply = SupplyStore(connection)
        for offset in 0..<4 {
            try supply.set(SupplyEntry(sku: "TRN3", week: asOf.adding(offset), quantity: 160))
        }
        _ = try InventoryStore(connection).receive(sku: "TRN3", quantity: 48, note: "opening stock")
        let orders = OrderStore(connection)
        let lines: [(String, String, String)] = [
            ("aws-cloud", "AC-1", "TRN3:320:2027-W10"),
            ("aws-cloud", "AC-2", "TRN3:320:2027-W12"),
            ("helios-dc", "PO-H1", "TRN3:256:2027-W10"),
            ("tokyo-compute", "PO-T1", "TRN3:192:2027-W11"),
            ("nordic-ai", "PO-N1", "TRN3:128:2027-W10"),
            ("helios-dc", "PO-H2", "TRN3:64:2027-W13"),
        ]
        // The story is set in fixed weeks, which the calendar passes: it is
        // entered as history is, with past weeks allowed.
        for (customer, reference, line) in lines {
            _ = try orders.create(
                OrderDraft(customer: customer, reference: reference, lines: [LineDraft(number: 1, parsing: line)]),
                weeks: .includingPastWeeks)
        }
    }

    /// The order id of a reference.
    public static func order(_ reference: String, _ connection: Connection) throws -> Int {
        try connection.queryFirst("SELECT id FROM orders WHERE reference = $1", [reference])!.decode("id")
    }

    /// The current plan as (order reference, week, chips), sorted.
    public static func plan(_ connection: Connection, run: Int? = nil) throws -> [String] {
        try connection.execute(
            """
            SELECT o.reference || ' ' || a.week || ' ' || a.quantity AS row
            FROM allocations a JOIN order_lines l ON l.id = a.order_line_id JOIN orders o ON o.id = l.order_id
            WHERE a.run_id = coalesce($1, (SELECT run_id FROM current_plan))
            ORDER BY o.reference, a.week
            """, [run]
        ).map { try $0.decode("row") }
    }
}

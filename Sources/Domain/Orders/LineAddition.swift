/// Lines a buyer adds to a stored order (`order amend --add-line`). Each is
/// read as `order create` reads a line (`LineDraft.Terms`) and held to the
/// same entry rules (a known SKU, whole lots, no week in the past), and to
/// the order it joins: not a cancelled order (one whose every line was
/// closed by a cancellation), one currency, line numbers after its last line.
public struct LineAddition: Equatable, Sendable {
    /// The lines as typed, in the order given.
    public let lines: [LineDraft.Terms]

    /// Reads `SKU:QUANTITY:WEEK[:UNIT_PRICE]` texts.
    ///
    /// - Throws: `ValidationFailure` (malformed) for text that cannot be read.
    public init(parsing texts: [String]) throws {
        guard !texts.isEmpty else {
            throw ValidationFailure(record: "order amend", field: "--add-line", problem: "needs at least one line", kind: .malformed)
        }
        lines = try texts.map { try LineDraft.Terms(parsing: $0, record: "new line", option: "--add-line") }
    }

    /// The new lines numbered after the order's last line, in the order given.
    ///
    /// - Throws: `ValidationFailure` when a number would pass `LineDraft.maximumNumber`.
    public func drafts(after order: Order) throws -> [LineDraft] {
        let last = order.lines.map(\.number).max() ?? 0
        return try lines.enumerated().map { try LineDraft(number: last + 1 + $0.offset, terms: $0.element) }
    }

    /// Every problem of the new lines against the order as stored, the
    /// catalogue and the weeks entry accepts.
    public func problems(_ drafts: [LineDraft], in order: Order, catalogue: OrderCatalogue, weeks: EntryWeeks) -> [ValidationFailure] {
        let record = "order \(order.id)"
        // Cancelled: every line was closed by a cancellation (some perhaps after a partial shipment).
        if !order.lines.isEmpty, order.lines.allSatisfy({ $0.cancelled > 0 }) {
            return [ValidationFailure(
                record: record, field: "status",
                problem: "is cancelled; a cancelled order cannot be re-opened (enter a new order instead)")]
        }
        var currencies = OrderCurrencies()
        if let first = order.lines.first { _ = currencies.add(first.sku, first.currency) }
        return OrderDraft.lineProblems(drafts, record: record, currencies: currencies, in: catalogue, weeks: weeks)
    }
}

import Database
import Domain
import Store

/// Entering one order and, when asked, quoting it at once: what a plan run
/// now would confirm for it (`order create --quote`).
///
/// The order is stored first, in its own transaction; the quote reads the
/// plan after it. A quote that fails leaves the order stored and throws
/// `UnquotedOrder`, which says so.
public struct OrderEntryJob: Sendable {
    public let draft: OrderDraft
    /// Quote the order once it is stored.
    public let quote: Bool

    public init(_ draft: OrderDraft, quote: Bool = false) {
        self.draft = draft
        self.quote = quote
    }

    /// The order entered (or found already recorded) and its quote, when asked.
    public struct Outcome: Sendable {
        public let entry: OrderEntry
        /// `nil` unless the job was asked to quote.
        public let quote: OrderQuote?
    }

    /// - Throws: what `OrderStore.create` throws (nothing stored then), or
    ///   `UnquotedOrder` when the order was stored but could not be quoted.
    public func run(on connection: Connection) async throws -> Outcome {
        let entry = try OrderStore(connection).create(draft)
        guard quote else { return Outcome(entry: entry, quote: nil) }
        do {
            return Outcome(entry: entry, quote: try await QuoteStore(connection).quote(order: entry.order.id))
        } catch {
            throw UnquotedOrder(entry: entry, error: error)
        }
    }
}

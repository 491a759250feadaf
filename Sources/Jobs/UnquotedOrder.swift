import Store

/// The order was stored (or had been recorded before), but quoting it
/// failed: `error` says why.
public struct UnquotedOrder: Error, CustomStringConvertible {
    public let entry: OrderEntry
    /// Why the quote failed.
    public let error: any Error

    public var description: String { sentence(reason: "\(error)") }

    /// The one sentence that reports it, with `reason` saying why the quote failed.
    public func sentence(reason: String) -> String {
        let order = entry.order
        return "order \(order.customer)/\(order.reference) is stored as order \(order.id), but it could not be quoted: \(reason)"
    }
}

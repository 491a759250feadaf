/// The engine's result names an order line the run did not read: the result
/// and the input it is stored with do not belong together. A defect, never
/// the user's data; nothing is stored.
public struct RunResultMismatch: Error, CustomStringConvertible, Sendable, Equatable {
    /// What the result does with the line (`allocates to`, `releases chips of`).
    public let action: String
    /// The engine's key of the line.
    public let lineKey: String

    public var description: String {
        "the allocation result \(action) line \(lineKey), which the run did not read; nothing was stored"
    }
}

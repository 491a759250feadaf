/// A record the operator named does not exist.
public struct NotFound: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was looked for, e.g. `customer helios-dc` or `order 42 line 3`.
    public let record: String

    public init(_ record: String) { self.record = record }

    public var description: String { "\(record) does not exist" }
}

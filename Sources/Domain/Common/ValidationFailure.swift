/// A value that breaks a business rule, naming the record and the field.
///
/// Its description is one sentence an operator can act on, such as
/// `customer helios-dc: weight must be greater than 0 (got -1)`.
public struct ValidationFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// Whether the text could not be read at all, or was read and refused.
    public enum Kind: Sendable, Equatable {
        /// The text is not a value of the field's type: not a number, not an
        /// ISO week, not a decimal, not an identifier's shape. Typed on the
        /// command line, this is a usage error (exit 64).
        case malformed
        /// The value was read and breaks a rule: out of range, not whole lots,
        /// unknown, in the past, in conflict with what is stored (exit 65).
        case refused
    }

    /// The record at fault, e.g. `customer helios-dc` or `row 17`.
    public var record: String
    /// The field at fault, e.g. `weight`.
    public var field: String
    /// What is wrong with it.
    public var problem: String
    /// Whether the text could not be read, or was read and refused.
    public var kind: Kind

    public init(record: String, field: String, problem: String, kind: Kind = .refused) {
        self.record = record
        self.field = field
        self.problem = problem
        self.kind = kind
    }

    public var description: String { "\(record): \(field) \(problem)" }
}

/// Several failures found together (a bulk import reports every bad row).
public struct ValidationFailures: Error, Sendable, CustomStringConvertible {
    public var failures: [ValidationFailure]
    /// How many failures there were in all; `failures` may hold only the first ones.
    public var total: Int

    public init(_ failures: [ValidationFailure], total: Int? = nil) {
        self.failures = failures
        self.total = total ?? failures.count
    }

    public var description: String {
        if total == 1, let only = failures.first { return only.description }
        var lines = failures.map(\.description)
        if total > failures.count { lines.append("… and \(total - failures.count) more") }
        return "\(total) problem\(total == 1 ? "" : "s") found, nothing was stored:\n" + lines.joined(separator: "\n")
    }
}

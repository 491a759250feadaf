/// A value that breaks a business rule, naming the record and the field.
///
/// Its description is one sentence an operator can act on, such as
/// `customer helios-dc: weight must be greater than 0 (got -1)`.
public struct ValidationFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// The record at fault, e.g. `customer helios-dc` or `row 17`.
    public var record: String
    /// The field at fault, e.g. `weight`.
    public var field: String
    /// What is wrong with it.
    public var problem: String

    public init(record: String, field: String, problem: String) {
        self.record = record
        self.field = field
        self.problem = problem
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

import Domain

/// The problems found in an imported file: every one counted, the first
/// `limit` of them (in file order) kept with their messages. A message is
/// only written when it will be shown, so a file with a million bad rows
/// costs little more than a clean one.
struct ImportProblems {
    /// How many problems an import reports; the rest are counted.
    static let limit = 20

    let path: String
    private(set) var kept: [(line: Int, failure: ValidationFailure)] = []
    private(set) var total = 0

    /// `path` is the file's path; messages show it as `Echo.path` does.
    init(path: String) { self.path = Echo.path(path) }

    var isEmpty: Bool { total == 0 }

    /// The record name of a file line, as every message gives it.
    func record(_ line: Int) -> String { "\(path) line \(line)" }

    /// Counts a problem on `line`; writes its message only while fewer than
    /// `limit` are kept or when it comes before one of them.
    mutating func add(line: Int, field: String, _ problem: () -> String) {
        total += 1
        guard kept.count < Self.limit || line < kept[kept.count - 1].line else { return }
        insert(line: line, ValidationFailure(record: record(line), field: field, problem: problem()))
    }

    /// Counts a failure a parser threw for `line`, naming the file line as its record.
    mutating func add(line: Int, _ failure: ValidationFailure) {
        add(line: line, field: failure.field) { failure.problem }
    }

    /// Counts `count` more problems of which only the first ones were described.
    mutating func addUndescribed(_ count: Int) { total += count }

    private mutating func insert(line: Int, _ failure: ValidationFailure) {
        let index = kept.lastIndex { $0.line <= line }.map { $0 + 1 } ?? 0
        kept.insert((line, failure), at: index)
        if kept.count > Self.limit { kept.removeLast() }
    }

    /// Every problem as one error: the kept ones in file order, and the total.
    var failures: ValidationFailures {
        ValidationFailures(kept.map(\.failure), total: total)
    }
}

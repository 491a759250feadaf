import Database
import Domain
import Foundation

/// A CSV file to import: its header is checked against the accepted ones,
/// then its records are handed out one by one, with their file line and
/// their fields in the header's order. Records of the wrong shape are
/// counted as problems and reading goes on, so an import reports every bad
/// row (up to `ImportProblems.limit`), not only the first.
struct CSVFile {
    let path: String
    /// Accepted headers; the one that matches decides the fields' names.
    let headers: [[String]]

    /// Reads the whole file, calling `body` with each well-formed record
    /// (and `problems`, to add the record's own).
    ///
    /// - Returns: the header that matched and the number of records read.
    /// - Throws: `InputFileError` for a missing, unreadable or directory
    ///   path; `ValidationFailure` for a missing or wrong header.
    @discardableResult
    func read(
        problems: inout ImportProblems, _ body: (_ line: Int, _ fields: [String], _ problems: inout ImportProblems) throws -> Void
    ) throws -> (header: [String], records: Int) {
        var reader = try CSVReader(path: path)
        let names = try reader.header()
        guard let header = headers.first(where: { $0 == names }) else {
            let expected = headers.map { $0.joined(separator: ",") }.joined(separator: " or ")
            throw ValidationFailure(
                record: "file \(Echo.path(path)) line 1", field: "header",
                problem: "must be \(expected) (got \(Echo.quoted(names.joined(separator: ","))))")
        }
        var records = 0
        while let record = try reader.next() {
            records += 1
            switch record {
            case .problem(let line, let problem):
                problems.add(line: line, field: "CSV") { problem }
            case .fields(let line, let fields):
                guard fields.count == header.count else {
                    problems.add(line: line, field: "CSV") {
                        "has \(fields.count) field\(fields.count == 1 ? "" : "s"), the header \(header.count) (\(header.joined(separator: ",")))"
                    }
                    continue
                }
                try body(line, fields, &problems)
            }
        }
        return (header, records)
    }
}

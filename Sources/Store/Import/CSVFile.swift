import Database
import Domain
import Foundation

/// Streams a CSV file into a staging table with COPY, after checking its
/// header, so that a million-line file is never held in memory and is
/// validated set-wise in SQL afterwards.
///
/// File line numbers: the header is line 1, so staging row n (numbered by
/// an identity column in file order) came from line n + 1.
struct CSVFile {
    let path: String
    /// Accepted headers; the matching one decides the staging columns.
    let headers: [[String]]

    /// Reads the header, then copies the rest of the file into `table`'s
    /// columns named by the header. Returns the header that matched.
    ///
    /// - Throws: `InputFileError` for a missing, unreadable or directory
    ///   path; `ValidationFailure` for a wrong header, bad encoding or
    ///   malformed CSV, naming the line.
    @discardableResult
    func copy(into table: String, on connection: Connection) throws -> [String] {
        let handle = try InputFile(path: path)
        var pending = Data()
        var headerLine: Data?
        while headerLine == nil {
            let chunk = try handle.read(upTo: 1 << 16)
            if chunk.isEmpty { headerLine = pending; pending = Data(); break }
            pending.append(chunk)
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                headerLine = pending[pending.startIndex..<newline]
                pending = Data(pending[(newline + 1)...])
            }
        }
        let header = try parseHeader(headerLine ?? Data())
        let columns = header.joined(separator: ", ")
        do {
            // The SQL is built from our own header list (checked against `headers`), never from file text.
            try connection.copyIn("COPY \(table) (\(columns)) FROM STDIN (FORMAT csv)") { writer in
                if !pending.isEmpty { try pending.withUnsafeBytes { try writer.write(bytes: $0) } }
                while true {
                    let chunk = try handle.read(upTo: 1 << 16)
                    if chunk.isEmpty { break }
                    try chunk.withUnsafeBytes { try writer.write(bytes: $0) }
                }
            }
        } catch let error as DatabaseError where error.kind == .server {
            throw ValidationFailure(record: "file \(path)\(Self.line(from: error.context))", field: "CSV", problem: Self.problem(error))
        }
        return header
    }

    private func parseHeader(_ line: Data) throws -> [String] {
        var bytes = Array(line)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }  // a UTF-8 byte order mark
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ValidationFailure(record: "file \(path) line 1", field: "header", problem: "is not UTF-8 text")
        }
        let names = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let match = headers.first(where: { $0 == names }) else {
            let expected = headers.map { $0.joined(separator: ",") }.joined(separator: " or ")
            throw ValidationFailure(record: "file \(path) line 1", field: "header", problem: "must be \(expected) (got \"\(text)\")")
        }
        return match
    }

    /// " line N" from COPY's context (`COPY staging, line 4, column qty: …`),
    /// shifted by one for the header that was not sent.
    static func line(from context: String?) -> String {
        guard let context, let range = context.range(of: "line ") else { return "" }
        let digits = context[range.upperBound...].prefix { $0.isNumber }
        guard let line = Int(digits) else { return "" }
        return " line \(line + 1)"
    }

    static func problem(_ error: DatabaseError) -> String {
        switch error.sqlState {
        case .characterNotInRepertoire?, SQLState(rawValue: "22P05")?:
            return "is not valid UTF-8 text (\(error.message))"
        case .badCopyFileFormat?:
            return "is malformed: \(error.message)"
        default:
            return "cannot be read: \(error.message)"
        }
    }

    /// Rows of (line, field, problem, total) as one error listing every problem.
    static func failures(_ rows: QueryResult, path: String) throws -> ValidationFailures {
        let failures = try rows.map { row in
            ValidationFailure(
                record: "\(path) line \(try row.decode("line", as: Int.self))",
                field: try row.decode("field"), problem: try row.decode("problem"))
        }
        return ValidationFailures(failures, total: try rows.first?.decode("total", as: Int.self) ?? failures.count)
    }
}

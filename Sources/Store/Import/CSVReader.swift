import Domain
import Foundation

/// Reads a CSV file (RFC 4180) record by record, in one pass over its bytes
/// and in bounded memory, so a file of any size or shape costs time linear
/// in its length.
///
/// A record may span lines (a quoted field with a line break); its `line`
/// is the file line it starts on (the header is line 1). A record that is
/// malformed (text after a closing quote, a quote never closed, longer than
/// `maximumRecordBytes`, not UTF-8) is returned as a problem and reading
/// goes on with the next record, so every bad row of a file can be reported.
/// Blank lines are skipped.
struct CSVReader {
    /// One record of the file.
    enum Record {
        case fields(line: Int, [String])
        case problem(line: Int, String)
    }

    /// The longest header line read; a longer first line is not a CSV header.
    static let maximumHeaderBytes = 4096
    /// The longest record kept; longer ones are reported, not read into memory.
    static let maximumRecordBytes = 1 << 20

    /// The file, opened and read through `InputFile`.
    private let file: InputFile
    private let path: String
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var chunkLength = 0
    private var position = 0
    private var atEnd = false
    private var readBytes = 0
    private var scratch: [UInt8] = []
    private var fieldEnds: [Int] = []
    /// The file line the reader is on.
    private var line = 1

    /// Opens the file (closed when the reader is gone).
    ///
    /// - Throws: `InputFileError` when it is missing, a directory, or unreadable.
    init(path: String) throws {
        self.path = path
        file = try InputFile(path: path)
    }

    /// The header: field names trimmed and lower-cased, quotes removed.
    ///
    /// - Throws: `ValidationFailure` for an empty file, a first line longer
    ///   than `maximumHeaderBytes` (read no further), or one that is not CSV text.
    mutating func header() throws -> [String] {
        let record = "file \(Echo.path(path)) line 1"
        switch try next(limit: Self.maximumHeaderBytes) {
        case nil:
            throw ValidationFailure(record: record, field: "header", problem: "is missing: the file is empty")
        case .problem(_, let problem)?:
            throw ValidationFailure(record: record, field: "header", problem: problem)
        case .fields(_, let names)?:
            return names.map { TextRules.trimmed($0).lowercased() }
        }
    }

    /// The next record, or `nil` at the end of the file.
    mutating func next() throws -> Record? {
        try next(limit: Self.maximumRecordBytes)
    }

    /// The next record that is not blank.
    private mutating func next(limit: Int) throws -> Record? {
        while let record = try readRecord(limit: limit) {
            if case .fields(_, let fields) = record, fields.isEmpty { continue }
            return record
        }
        return nil
    }

    private mutating func readRecord(limit: Int) throws -> Record? {
        // The record's bytes and where each field ends, in buffers reused from record to record.
        var bytes = scratch
        var ends = fieldEnds
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        scratch = []
        fieldEnds = []
        defer {
            scratch = bytes
            fieldEnds = ends
        }
        var quotedFields = 0
        var problem: String?
        var state = State.fieldStart
        var startLine = line
        var started = false
        while true {
            guard let byte = try nextByte() else {
                // End of file.
                if !started { return nil }
                if state == .quoted {
                    problem = problem ?? "has a quoted field that is never closed (a missing \")"
                }
                ends.append(bytes.count)
                break
            }
            if !started {
                // Skip blank lines between records.
                if byte == 10 { line += 1; startLine = line; continue }
                if byte == 13 { continue }
                started = true
            }
            if byte == 10 { line += 1 }
            switch state {
            case .fieldStart, .unquoted:
                switch byte {
                case 44:  // ,
                    ends.append(bytes.count)
                    state = .fieldStart
                case 10:  // end of record
                    if bytes.last == 13, state == .unquoted { bytes.removeLast() }
                    ends.append(bytes.count)
                    return finish(startLine, bytes, ends, quotedFields, problem)
                case 34 where state == .fieldStart:
                    state = .quoted
                    quotedFields += 1
                default:
                    state = .unquoted
                    Self.append(byte, to: &bytes, limit: limit, problem: &problem)
                }
            case .quoted:
                if byte == 34 { state = .quoteInQuoted } else { Self.append(byte, to: &bytes, limit: limit, problem: &problem) }
            case .quoteInQuoted:
                switch byte {
                case 34:
                    Self.append(34, to: &bytes, limit: limit, problem: &problem)
                    state = .quoted
                case 44:
                    ends.append(bytes.count)
                    state = .fieldStart
                case 10:
                    ends.append(bytes.count)
                    return finish(startLine, bytes, ends, quotedFields, problem)
                case 13:
                    continue
                default:
                    problem = problem ?? "has text after a closing quote (a quote inside a quoted field is written \"\")"
                    state = .skipping
                }
            case .skipping:
                if byte == 10 {
                    ends.append(bytes.count)
                    return finish(startLine, bytes, ends, quotedFields, problem)
                }
            }
            if limit == Self.maximumHeaderBytes, problem != nil { break }
        }
        return finish(startLine, bytes, ends, quotedFields, problem)
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted, skipping }

    private static func append(_ byte: UInt8, to bytes: inout [UInt8], limit: Int, problem: inout String?) {
        guard bytes.count < limit else {
            problem = problem ?? (limit == Self.maximumHeaderBytes
                ? "is longer than \(limit) bytes: is this a CSV file with one record per line?"
                : "is longer than \(limit / (1 << 20)) MiB")
            return
        }
        bytes.append(byte)
    }

    private func finish(_ line: Int, _ bytes: [UInt8], _ ends: [Int], _ quotedFields: Int, _ problem: String?) -> Record? {
        if let problem { return .problem(line: line, problem) }
        var fields: [String] = []
        fields.reserveCapacity(ends.count)
        // ASCII is UTF-8 as it is: one pass over the record instead of one validation per field.
        let ascii = bytes.allSatisfy { $0 < 0x80 }
        var start = 0
        for (index, end) in ends.enumerated() {
            guard let text = ascii ? String(decoding: bytes[start..<end], as: UTF8.self)
                                   : String(validating: bytes[start..<end], as: UTF8.self) else {
                return .problem(line: line, "field \(index + 1) is not UTF-8 text")
            }
            fields.append(text)
            start = end
        }
        // A line of spaces only is blank too.
        if fields.count == 1, quotedFields == 0, TextRules.trimmed(fields[0]).isEmpty { return .fields(line: line, []) }
        return .fields(line: line, fields)
    }

    @inline(__always)
    private mutating func nextByte() throws -> UInt8? {
        if position == chunkLength {
            guard try refill() else { return nil }
        }
        defer { position += 1 }
        return chunk[position]
    }

    /// Reads the next piece of the file; `false` at its end. A UTF-8 byte
    /// order mark at the start of the file is skipped.
    private mutating func refill() throws -> Bool {
        if atEnd { return false }
        let first = readBytes == 0
        let count = try chunk.withUnsafeMutableBytes { try file.read(into: $0) }
        if count == 0 { atEnd = true; return false }
        readBytes += count
        chunkLength = count
        position = first && count >= 3 && chunk[0] == 0xEF && chunk[1] == 0xBB && chunk[2] == 0xBF ? 3 : 0
        if position < chunkLength { return true }
        return try refill()
    }
}

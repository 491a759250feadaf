import CLibPQ
import Foundation

extension Connection {
    /// Streams data into the server with `COPY … FROM STDIN`.
    ///
    /// `body` is handed a writer and sends the data in pieces of any size;
    /// nothing is held whole in memory. When `body` throws, the COPY is
    /// aborted (the server discards every row of it) and the error is
    /// rethrown. Every libpq return code is checked and every result is
    /// drained and cleared.
    ///
    /// - Returns: the number of rows the server stored.
    @discardableResult
    public func copyIn(_ sql: String, _ body: (inout CopyInWriter) throws -> Void) throws -> Int {
        guard let start = PQexec(handle, sql) else { throw lostConnection() }
        let status = PQresultStatus(start)
        if status != PGRES_COPY_IN {
            defer { PQclear(start) }
            if status == PGRES_FATAL_ERROR { throw error(from: start) }
            throw DatabaseError(kind: .misuse, message: "statement did not start COPY FROM STDIN: \(sql.prefix(60))")
        }
        PQclear(start)
        var writer = CopyInWriter(handle: handle)
        var bodyError: Error?
        do {
            try body(&writer)
            try writer.flush()
        } catch {
            bodyError = error
        }
        let message = bodyError.map { "aborted by client: \($0)" }
        let ended: Int32 = message.map { PQputCopyEnd(handle, $0) } ?? PQputCopyEnd(handle, nil)
        let finalResult = drainResults()
        if let bodyError {
            // Data that could not be sent because the server went away is a lost connection.
            if let sending = bodyError as? DatabaseError, sending.kind == .copy, !isOpen { throw lostConnection() }
            throw bodyError
        }
        guard ended == 1 else { throw lostConnection() }
        if let failure = finalResult.error { throw failure }
        return finalResult.rows
    }

    /// Streams `COPY … TO STDOUT` output to `body`, one row (in COPY's text
    /// or CSV form, with its line end) per call. When `body` throws, the
    /// rest of the output is read and dropped so the connection stays
    /// usable, and the error is rethrown.
    ///
    /// - Returns: the number of rows the server sent.
    @discardableResult
    public func copyOut(_ sql: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard let start = PQexec(handle, sql) else { throw lostConnection() }
        let status = PQresultStatus(start)
        if status != PGRES_COPY_OUT {
            defer { PQclear(start) }
            if status == PGRES_FATAL_ERROR { throw error(from: start) }
            throw DatabaseError(kind: .misuse, message: "statement did not start COPY TO STDOUT: \(sql.prefix(60))")
        }
        PQclear(start)
        var bodyError: Error?
        while true {
            var buffer: UnsafeMutablePointer<CChar>?
            let length = PQgetCopyData(handle, &buffer, 0)
            if length > 0, let buffer {
                defer { PQfreemem(buffer) }
                if bodyError == nil {
                    do {
                        try body(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
                    } catch {
                        bodyError = error
                    }
                }
                continue
            }
            if let buffer { PQfreemem(buffer) }
            if length == -1 { break }  // done; the final result follows
            // -2: an error; the final result (read below) says which.
            break
        }
        let finalResult = drainResults()
        if let bodyError { throw bodyError }
        if let failure = finalResult.error { throw failure }
        return finalResult.rows
    }

    /// Reads every pending result until libpq returns NULL, clearing each,
    /// and reports the first error and the row count of the last command.
    func drainResults() -> (rows: Int, error: DatabaseError?) {
        var rows = 0
        var failure: DatabaseError?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK {
                rows = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if status == PGRES_COPY_IN {
                // The server still expects data: end the COPY so the loop finishes.
                _ = PQputCopyEnd(handle, "client ended COPY unexpectedly")
            } else if status == PGRES_COPY_OUT {
                var buffer: UnsafeMutablePointer<CChar>?
                while PQgetCopyData(handle, &buffer, 0) > 0 { if let b = buffer { PQfreemem(b) }; buffer = nil }
            } else if failure == nil {
                failure = error(from: result)
            }
            if !isOpen, failure == nil {
                failure = lostConnection()
                break
            }
        }
        if !isOpen, failure == nil { failure = lostConnection() }
        return (rows, failure)
    }
}

/// Sends COPY data to the server in buffered pieces.
///
/// Data is counted in UTF-8 bytes; every `PQputCopyData` return code is
/// checked.
public struct CopyInWriter {
    let handle: OpaquePointer
    private var buffer: [UInt8] = []
    private var atRowStart = true
    private let bufferLimit = 1 << 16

    init(handle: OpaquePointer) {
        self.handle = handle
        buffer.reserveCapacity(bufferLimit)
    }

    /// Queues text (for example one CSV line with its newline).
    public mutating func write(_ text: String) throws {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= bufferLimit { try flush() }
    }

    /// Appends one field of a row in COPY's text format: fields are
    /// separated by tabs, and backslash, tab, newline and carriage return
    /// are escaped. Call `endRow()` after the last field.
    public mutating func field(_ text: String) {
        if !atRowStart { buffer.append(9) }
        atRowStart = false
        Self.appendEscaped(text, to: &buffer)
    }

    /// Appends `text` in COPY's text form: backslash, tab, newline and
    /// carriage return escaped.
    public static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        let utf8 = text.utf8
        // Most fields hold nothing to escape: appended whole.
        if !utf8.contains(where: { $0 == 92 || $0 == 9 || $0 == 10 || $0 == 13 }) {
            bytes.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case 92: bytes.append(92); bytes.append(92)
            case 9: bytes.append(92); bytes.append(UInt8(ascii: "t"))
            case 10: bytes.append(92); bytes.append(UInt8(ascii: "n"))
            case 13: bytes.append(92); bytes.append(UInt8(ascii: "r"))
            default: bytes.append(byte)
            }
        }
    }

    /// Appends a field already in COPY text form (no tab, newline, carriage
    /// return or backslash in it), such as a cached identifier's UTF-8 bytes.
    public mutating func field(copyText bytes: [UInt8]) {
        if !atRowStart { buffer.append(9) }
        atRowStart = false
        buffer.append(contentsOf: bytes)
    }

    /// Appends an integer field, written as decimal digits without allocating.
    public mutating func field(_ value: Int) {
        if !atRowStart { buffer.append(9) }
        atRowStart = false
        if value < 0 { buffer.append(45) }
        var magnitude = value.magnitude
        if magnitude == 0 { buffer.append(48); return }
        let start = buffer.count
        while magnitude > 0 {
            buffer.append(UInt8(48 + magnitude % 10))
            magnitude /= 10
        }
        buffer[start...].reverse()
    }

    /// Appends a boolean field (`t` or `f`).
    public mutating func field(_ value: Bool) {
        if !atRowStart { buffer.append(9) }
        atRowStart = false
        buffer.append(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    /// Ends the row; sends the buffer when it is full.
    public mutating func endRow() throws {
        buffer.append(10)
        atRowStart = true
        if buffer.count >= bufferLimit { try flush() }
    }

    /// Queues raw bytes.
    public mutating func write(bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= bufferLimit { try flush() }
    }

    /// Sends what is queued.
    public mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        let status = buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                PQputCopyData(handle, chars.baseAddress, Int32(chars.count))
            }
        }
        guard status == 1 else {
            let text = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
            // Data cannot be sent when the server went away (a restart, a
            // terminated backend): that is a lost connection, not a COPY defect.
            let kind: DatabaseError.Kind = PQstatus(handle) == CONNECTION_OK ? .copy : .connectionLost
            throw DatabaseError(kind: kind, message: "sending COPY data failed: \(text)")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

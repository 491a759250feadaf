import CLibPQ

/// The rows a statement returned.
///
/// It owns the libpq result and clears it when the last reference goes,
/// so no path can leak it. Rows read their values lazily from it.
public final class QueryResult: RandomAccessCollection {
    let result: OpaquePointer
    /// The column names, in order.
    public let columns: [String]
    let columnTypes: [PostgresType]
    private let columnIndex: [String: Int]

    init(taking result: OpaquePointer, connection: Connection) throws {
        self.result = result
        let count = Int(PQnfields(result))
        var names: [String] = []
        var types: [PostgresType] = []
        var index: [String: Int] = [:]
        names.reserveCapacity(count)
        for column in 0..<count {
            let name = String(cString: PQfname(result, Int32(column)))
            names.append(name)
            types.append(PostgresType(oid: PQftype(result, Int32(column))))
            if index[name] == nil { index[name] = column }
        }
        columns = names
        columnTypes = types
        columnIndex = index
    }

    deinit {
        PQclear(result)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { Int(PQntuples(result)) }
    public subscript(position: Int) -> Row { Row(result: self, index: position) }

    /// Rows affected by an INSERT, UPDATE, DELETE, COPY … (`PQcmdTuples`).
    public var affectedRows: Int {
        guard let text = PQcmdTuples(result) else { return 0 }
        return Int(String(cString: text)) ?? 0
    }

    /// The PostgreSQL type of the column at `position`.
    public func columnType(at position: Int) -> PostgresType { columnTypes[position] }

    func column(named name: String) throws -> Int {
        guard let index = columnIndex[name] else {
            throw DatabaseError(
                kind: .decoding, message: "the result has no column \"\(name)\" (it has: \(columns.joined(separator: ", ")))",
                column: name)
        }
        return index
    }
}

/// One row of a `QueryResult`, with typed, NULL-safe accessors that name the
/// column in their errors.
public struct Row {
    let result: QueryResult
    let index: Int

    /// True when the value in `column` is NULL.
    public func isNull(_ column: String) throws -> Bool {
        PQgetisnull(result.result, Int32(index), Int32(try result.column(named: column))) == 1
    }

    /// The value as PostgreSQL sent it in text form, or `nil` for NULL.
    public func text(at position: Int) -> String? {
        guard position >= 0, position < result.columns.count else { return nil }
        guard PQgetisnull(result.result, Int32(index), Int32(position)) == 0 else { return nil }
        return String(cString: PQgetvalue(result.result, Int32(index), Int32(position)))
    }

    /// Decodes a non-NULL value; a NULL is an error naming the column.
    public func decode<Value: SQLDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        guard let value = try decodeIfPresent(column, as: type) else {
            throw DatabaseError(kind: .decoding, message: "column \"\(column)\" is NULL, expected \(Value.self)", column: column)
        }
        return value
    }

    /// Decodes a value that may be NULL.
    public func decodeIfPresent<Value: SQLDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value? {
        let position = try result.column(named: column)
        guard let text = text(at: position) else { return nil }
        let pgType = result.columnTypes[position]
        guard Value.accepts(pgType) else {
            throw DatabaseError(
                kind: .decoding,
                message: "column \"\(column)\" has type \(pgType) and cannot be read as \(Value.self)",
                column: column)
        }
        guard let value = Value(postgresText: text, type: pgType) else {
            throw DatabaseError(
                kind: .decoding, message: "column \"\(column)\" holds \"\(text)\", which is not a valid \(Value.self)",
                column: column)
        }
        return value
    }
}

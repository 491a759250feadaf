import Values

/// ISO weeks read straight from a result column (`2026-W49`), with the
/// column named in the error when the text is not a real week.
extension Period: SQLDecodable {
    public static func accepts(_ type: PostgresType) -> Bool { type.isText }
    public init?(postgresText text: String, type: PostgresType) { self.init(text) }
}

import CLibPQ

/// The PostgreSQL type of a result column, by its built-in OID.
public struct PostgresType: Hashable, Sendable, CustomStringConvertible {
    public let oid: UInt32

    public init(oid: UInt32) { self.oid = oid }

    public static let bool = PostgresType(oid: 16)
    public static let bytea = PostgresType(oid: 17)
    public static let char = PostgresType(oid: 18)
    public static let name = PostgresType(oid: 19)
    public static let int8 = PostgresType(oid: 20)
    public static let int2 = PostgresType(oid: 21)
    public static let int4 = PostgresType(oid: 23)
    public static let text = PostgresType(oid: 25)
    public static let oidType = PostgresType(oid: 26)
    public static let json = PostgresType(oid: 114)
    public static let float4 = PostgresType(oid: 700)
    public static let float8 = PostgresType(oid: 701)
    public static let unknown = PostgresType(oid: 705)
    public static let bpchar = PostgresType(oid: 1042)
    public static let varchar = PostgresType(oid: 1043)
    public static let date = PostgresType(oid: 1082)
    public static let timestamp = PostgresType(oid: 1114)
    public static let timestamptz = PostgresType(oid: 1184)
    public static let numeric = PostgresType(oid: 1700)
    public static let uuid = PostgresType(oid: 2950)
    public static let jsonb = PostgresType(oid: 3802)

    public var isInteger: Bool { self == .int2 || self == .int4 || self == .int8 || self == .oidType }
    public var isText: Bool {
        self == .text || self == .varchar || self == .bpchar || self == .name || self == .char
            || self == .unknown || self == .json || self == .jsonb
    }

    public var description: String {
        switch self {
        case .bool: "boolean"
        case .int2: "smallint"
        case .int4: "integer"
        case .int8: "bigint"
        case .text: "text"
        case .varchar: "varchar"
        case .bpchar: "char(n)"
        case .name: "name"
        case .numeric: "numeric"
        case .date: "date"
        case .timestamp: "timestamp"
        case .timestamptz: "timestamptz"
        case .uuid: "uuid"
        case .json: "json"
        case .jsonb: "jsonb"
        case .float4: "real"
        case .float8: "double precision"
        case .bytea: "bytea"
        default: "type oid \(oid)"
        }
    }
}

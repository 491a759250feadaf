import Foundation

/// A parsed JSON value that keeps JSON's own types apart (a number is never
/// a boolean, as it can be through `JSONSerialization`'s `NSNumber`).
public indirect enum JSONShape: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONShape])
    case object([String: JSONShape])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONShape].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONShape].self)) }
    }

    public static func parse(_ text: String) throws -> JSONShape {
        try JSONDecoder().decode(JSONShape.self, from: Data(text.utf8))
    }

    /// `null`, `bool`, `number`, `string`, `array` or `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    public subscript(key: String) -> JSONShape? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    public var array: [JSONShape] {
        if case .array(let items) = self { return items }
        return []
    }

    public var fields: [String: JSONShape] {
        if case .object(let fields) = self { return fields }
        return [:]
    }

    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// Every key of every object in this value, recursively.
    public var allKeys: [String] {
        switch self {
        case .object(let fields): fields.keys + fields.values.flatMap(\.allKeys)
        case .array(let items): items.flatMap(\.allKeys)
        default: []
        }
    }
}

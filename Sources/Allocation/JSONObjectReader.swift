import Values

/// One member's value as a record keeps it until the record's checks run.
enum JSONField {
    case absent
    case string(String)
    /// A string read as an ISO week (`nil` when it is not one).
    case period(String, Period?)
    /// A string read as an RFC 3339 timestamp (`nil` when it is not one).
    case timestamp(String, Timestamp?)
    case number(JSONNumber)
    case bool(Bool)
    /// An object of names to values (kept only where the format has one).
    case map([(key: String, value: JSONField)])
    /// Any other value: null, or an object or array where the format has none.
    case other

    /// How a record keeps the string values of a field: as text, as a
    /// name many records repeat (one string per distinct name), as a week,
    /// as a timestamp, or (for an object) as a map.
    enum Shape { case text, name, period, timestamp, map }
}

/// The fields of one JSON object of the scenario, read by `ScenarioDecoder`,
/// with the checks of each field: unknown and duplicate fields are found as
/// the object is read, missing and mistyped ones here, each refused with the
/// record's name.
struct JSONObjectReader {
    /// The field names, in the order their values are kept.
    let names: [String]
    let shapes: [JSONField.Shape]
    /// The names' UTF-8 bytes, to match member names without making strings.
    let nameBytes: [[UInt8]]
    var fields: [JSONField]
    /// The record as messages name it: `section[index]` (`section` alone for
    /// a negative index), then `label` when set, e.g. `(id "L-9")`.
    var section: String
    var index = 0
    var label: (name: String, value: String)?

    /// The largest count: what one SKU's totals may reach (18 digits are read, so below 10^18 in practice).
    static let maxQuantity = ScenarioIndex.maxChips

    init(section: String, fields: [(String, JSONField.Shape)]) {
        self.section = section
        names = fields.map(\.0)
        shapes = fields.map(\.1)
        nameBytes = names.map { Array($0.utf8) }
        self.fields = Array(repeating: .absent, count: names.count)
    }

    /// The record's name for messages, e.g. `orders[17] (id "L-9")`.
    var record: String {
        let base = index < 0 ? section : "\(section)[\(index)]"
        return label.map { "\(base) (\($0.name) \"\($0.value)\")" } ?? base
    }

    /// Starts a record: every field absent.
    mutating func reset(index: Int) {
        self.index = index
        label = nil
        for i in fields.indices { fields[i] = .absent }
    }

    /// The field a member name stands for, or `nil`.
    @inline(__always)
    func field(named key: UnsafeRawBufferPointer) -> Int? {
        for i in nameBytes.indices where nameBytes[i].count == key.count {
            if nameBytes[i].withUnsafeBytes({ $0.elementsEqual(key) }) { return i }
        }
        return nil
    }

    func has(_ f: Int) -> Bool {
        if case .absent = fields[f] { return false }
        return true
    }

    private func missing(_ f: Int) -> ScenarioError { ScenarioError(record, .missingField(names[f])) }
    private func wrongType(_ f: Int, _ expected: String) -> ScenarioError {
        ScenarioError(record, .wrongType(field: names[f], expected: expected))
    }

    func string(_ f: Int) throws(ScenarioError) -> String {
        switch fields[f] {
        case .absent: throw missing(f)
        case let .string(s), let .period(s, _), let .timestamp(s, _): return s
        default: throw wrongType(f, "a string")
        }
    }

    func bool(_ f: Int, default d: Bool) throws(ScenarioError) -> Bool {
        switch fields[f] {
        case .absent: return d
        case let .bool(b): return b
        default: throw wrongType(f, "true or false")
        }
    }

    func number(_ f: Int) throws(ScenarioError) -> JSONNumber? {
        switch fields[f] {
        case .absent: return nil
        case let .number(n): return n
        default: throw wrongType(f, "a number")
        }
    }

    /// A whole, non-negative number (`16`, also `16.0` or `1.6e1`).
    func count(_ f: Int, default d: Int? = nil) throws(ScenarioError) -> Int {
        guard let n = try number(f) else {
            if let d { return d }
            throw missing(f)
        }
        if case let .whole(v) = n { return v }
        return try JSONObjectReader.count(n.text, field: names[f], record: record)
    }

    static func count(_ t: String, field: String, record: String) throws(ScenarioError) -> Int {
        if t.hasPrefix("-"), t != "-0" { throw ScenarioError(record, .negative(field: field, text: t)) }
        guard let d = ExactDecimal(t) else { throw ScenarioError(record, .unsupportedNumber(field: field, text: t)) }
        guard d.scale == 0 else { throw ScenarioError(record, .notAnInteger(field: field, text: t)) }
        guard d.units <= maxQuantity else { throw ScenarioError(record, .unsupportedNumber(field: field, text: t)) }
        return Int(d.units)
    }

    /// A signed whole number (tiers).
    func integer(_ f: Int, default d: Int) throws(ScenarioError) -> Int {
        guard let n = try number(f) else { return d }
        if case let .whole(v) = n { return v }
        let t = n.text
        guard let v = ExactDecimal(t), v.units.magnitude <= UInt64(JSONObjectReader.maxQuantity) else {
            throw ScenarioError(record, .unsupportedNumber(field: names[f], text: t))
        }
        guard v.scale == 0 else { throw ScenarioError(record, .notAnInteger(field: names[f], text: t)) }
        return Int(v.units)
    }

    /// An exact decimal.
    func decimal(_ f: Int, default d: ExactDecimal) throws(ScenarioError) -> ExactDecimal {
        guard let n = try number(f) else { return d }
        if case let .whole(v) = n { return ExactDecimal(units: Int64(v), scale: 0) }
        guard let v = ExactDecimal(n.text) else { throw ScenarioError(record, .unsupportedNumber(field: names[f], text: n.text)) }
        return v
    }

    func period(_ f: Int) throws(ScenarioError) -> Period {
        let t = try string(f)
        let parsed: Period?
        if case let .period(_, p) = fields[f] { parsed = p } else { parsed = Period(t) }
        guard let p = parsed else { throw ScenarioError(record, .malformedPeriod(field: names[f], text: t)) }
        return p
    }

    func timestamp(_ f: Int) throws(ScenarioError) -> Timestamp {
        let t = try string(f)
        let parsed: Timestamp?
        if case let .timestamp(_, p) = fields[f] { parsed = p } else { parsed = Timestamp(rfc3339: t) }
        guard let at = parsed else { throw ScenarioError(record, .malformedTimestamp(t)) }
        return at
    }

    /// An object of SKU → whole non-negative chips.
    func quantityMap(_ f: Int) throws(ScenarioError) -> [String: Int] {
        let key = names[f]
        switch fields[f] {
        case .absent: return [:]
        case let .map(members):
            var out: [String: Int] = [:]
            for (k, value) in members {
                guard case let .number(n) = value else {
                    throw ScenarioError(record, .wrongType(field: "\(key).\(k)", expected: "a number"))
                }
                let q: Int
                if case let .whole(v) = n { q = v } else { q = try JSONObjectReader.count(n.text, field: "\(key).\(k)", record: record) }
                guard out.updateValue(q, forKey: k) == nil else { throw ScenarioError(record, .duplicateField("\(key).\(k)")) }
            }
            return out
        default: throw wrongType(f, "an object")
        }
    }
}

import Values

/// Reads the fields of one JSON object of the scenario, refusing unknown,
/// duplicate and mistyped fields with the record's name.
struct JSONObjectReader {
    var record: String
    private var fields: [String: JSONValue] = [:]

    /// The largest count: what one SKU's totals may reach (18 digits are read, so below 10^18 in practice).
    static let maxQuantity = ScenarioIndex.maxChips

    init(_ value: JSONValue, record: String, allowed: Set<String>) throws(ScenarioError) {
        self.record = record
        guard case let .object(members) = value else {
            throw ScenarioError(record, .wrongType(field: record, expected: "an object"))
        }
        for (k, v) in members {
            guard allowed.contains(k) else { throw ScenarioError(record, .unknownField(k)) }
            guard fields.updateValue(v, forKey: k) == nil else { throw ScenarioError(record, .duplicateField(k)) }
        }
    }

    func has(_ key: String) -> Bool { fields[key] != nil }

    func string(_ key: String) throws(ScenarioError) -> String {
        guard let v = fields[key] else { throw ScenarioError(record, .missingField(key)) }
        guard case let .string(s) = v else { throw ScenarioError(record, .wrongType(field: key, expected: "a string")) }
        return s
    }

    func bool(_ key: String, default d: Bool) throws(ScenarioError) -> Bool {
        guard let v = fields[key] else { return d }
        guard case let .bool(b) = v else { throw ScenarioError(record, .wrongType(field: key, expected: "true or false")) }
        return b
    }

    func numberText(_ key: String) throws(ScenarioError) -> String? {
        guard let v = fields[key] else { return nil }
        guard case let .number(t) = v else { throw ScenarioError(record, .wrongType(field: key, expected: "a number")) }
        return t
    }

    /// A whole, non-negative number (`16`, also `16.0` or `1.6e1`).
    func count(_ key: String, default d: Int? = nil) throws(ScenarioError) -> Int {
        guard let t = try numberText(key) else {
            if let d { return d }
            throw ScenarioError(record, .missingField(key))
        }
        return try JSONObjectReader.count(t, field: key, record: record)
    }

    static func count(_ t: String, field: String, record: String) throws(ScenarioError) -> Int {
        if t.hasPrefix("-"), t != "-0" { throw ScenarioError(record, .negative(field: field, text: t)) }
        guard let d = ExactDecimal(t) else {
            if t.contains(".") || t.contains("e") || t.contains("E") {
                // Distinguish a fraction from a big number.
                throw ScenarioError(record, .unsupportedNumber(field: field, text: t))
            }
            throw ScenarioError(record, .unsupportedNumber(field: field, text: t))
        }
        guard d.scale == 0 else { throw ScenarioError(record, .notAnInteger(field: field, text: t)) }
        guard d.units <= maxQuantity else { throw ScenarioError(record, .unsupportedNumber(field: field, text: t)) }
        return Int(d.units)
    }

    /// A signed whole number (tiers).
    func integer(_ key: String, default d: Int) throws(ScenarioError) -> Int {
        guard let t = try numberText(key) else { return d }
        guard let v = ExactDecimal(t), v.units.magnitude <= UInt64(JSONObjectReader.maxQuantity) else {
            throw ScenarioError(record, .unsupportedNumber(field: key, text: t))
        }
        guard v.scale == 0 else { throw ScenarioError(record, .notAnInteger(field: key, text: t)) }
        return Int(v.units)
    }

    func decimal(_ key: String, default d: ExactDecimal) throws(ScenarioError) -> ExactDecimal {
        guard let t = try numberText(key) else { return d }
        guard let v = ExactDecimal(t) else { throw ScenarioError(record, .unsupportedNumber(field: key, text: t)) }
        return v
    }

    func period(_ key: String) throws(ScenarioError) -> Period {
        let t = try string(key)
        guard let p = Period(t) else { throw ScenarioError(record, .malformedPeriod(field: key, text: t)) }
        return p
    }

    func array(_ key: String) throws(ScenarioError) -> [JSONValue] {
        guard let v = fields[key] else { return [] }
        guard case let .array(a) = v else { throw ScenarioError(record, .wrongType(field: key, expected: "an array")) }
        return a
    }

    /// An object of SKU → whole non-negative chips.
    func quantityMap(_ key: String) throws(ScenarioError) -> [String: Int] {
        guard let v = fields[key] else { return [:] }
        guard case let .object(members) = v else { throw ScenarioError(record, .wrongType(field: key, expected: "an object")) }
        var out: [String: Int] = [:]
        for (k, value) in members {
            guard case let .number(t) = value else {
                throw ScenarioError(record, .wrongType(field: "\(key).\(k)", expected: "a number"))
            }
            let q = try JSONObjectReader.count(t, field: "\(key).\(k)", record: record)
            guard out.updateValue(q, forKey: k) == nil else { throw ScenarioError(record, .duplicateField("\(key).\(k)")) }
        }
        return out
    }
}

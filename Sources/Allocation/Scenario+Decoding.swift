import Values

extension Scenario {
    /// Decodes and validates a scenario file (JSON, UTF-8).
    ///
    /// Missing optional fields take the spec's defaults; unknown fields and
    /// every other refusal of the spec throw a `ScenarioError` naming the record.
    public init(json bytes: some Sequence<UInt8>) throws(ScenarioError) {
        let all = Array(bytes)
        var offset = 0
        do {
            self = try Scenario(reading: { buffer in
                let n = min(buffer.count, all.count - offset)
                all.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + n)])) }
                offset += n
                return n
            })
        } catch let refusal as ScenarioError {
            throw refusal
        } catch {
            preconditionFailure("reading bytes in memory cannot fail: \(error)")
        }
    }

    /// Decodes a scenario file read in chunks: `source` fills the start of
    /// the buffer it is given and returns how many bytes it wrote (0 at the
    /// end). The file is read once, in bounded memory besides the scenario.
    ///
    /// - Parameter validating: false leaves out the checks across records
    ///   (`validate()`), for a caller that hands the scenario straight to
    ///   `Allocator`, which makes them anyway (and refuses with the same error).
    /// - Throws: `ScenarioError` for a refused file (the same refusal
    ///   `init(json:)` gives), or what `source` throws.
    public init(reading source: @escaping (UnsafeMutableRawBufferPointer) throws -> Int, validating: Bool = true) throws {
        var decoder = ScenarioDecoder(reader: JSONReader(source: source))
        self = try decoder.decode()
        if validating { try validate() }
    }
}

/// Reads a scenario document while it streams, record by record, straight
/// into a `Scenario`.
///
/// Refusals come in the order a whole-document reader would give them: a
/// syntax error anywhere first; then the top-level object's unknown or
/// repeated fields; then the first refusal of `policy`, `products`,
/// `customers`, `supply`, `orders`, `fixed`, `history`, in that order
/// whatever the document's order. Within a record, unknown and repeated
/// fields come first, then each field's checks in the record's order.
struct ScenarioDecoder {
    var reader: JSONReader
    private var scenario = Scenario()
    /// The first refusal of each part: the document's fields, then each section.
    private var refusals = [ScenarioError?](repeating: nil, count: 8)
    private var names = JSONInterner<String>()
    private var periods = JSONInterner<(String, Period?)>()
    private var timestamps = JSONInterner<(String, Timestamp?)>()

    static let sections = ["policy", "products", "customers", "supply", "orders", "fixed", "history"]
    private static let sectionBytes = sections.map { Array($0.utf8) }

    init(reader: JSONReader) { self.reader = reader }

    mutating func decode() throws -> Scenario {
        try reader.skipByteOrderMark()
        try reader.skipSpace()
        guard try reader.peekValue() == UInt8(ascii: "{") else {
            try reader.skipValue()
            try end()
            throw ScenarioError("scenario", .wrongType(field: "scenario", expected: "an object"))
        }
        var seen = [Bool](repeating: false, count: Self.sections.count)
        if try reader.objectStart() {
            repeat {
                let key = try reader.memberKey()
                let section = Self.sectionBytes.firstIndex { $0.withUnsafeBytes { $0.elementsEqual(key) } }
                guard let section, !seen[section] else {
                    let name = String(decoding: key, as: UTF8.self)
                    note(ScenarioError("scenario", section == nil ? .unknownField(name) : .duplicateField(name)), 0)
                    try reader.memberValue()
                    try reader.skipValue()
                    continue
                }
                seen[section] = true
                try reader.memberValue()
                try decodeSection(section)
            } while try reader.objectNext()
        }
        try end()
        if let first = refusals.lazy.compactMap({ $0 }).first { throw first }
        return scenario
    }

    /// Nothing but white space may follow the document.
    private mutating func end() throws {
        guard try reader.atDocumentEnd() else { throw reader.fail("unexpected data after the document") }
    }

    /// Keeps the first refusal of a part.
    private mutating func note(_ refusal: ScenarioError, _ part: Int) {
        if refusals[part] == nil { refusals[part] = refusal }
    }

    private mutating func decodeSection(_ section: Int) throws {
        let part = section + 1
        if section == 0 {
            var r = JSONObjectReader(section: "policy", fields: [("method", .text), ("internalFloorShare", .text), ("historyPeriods", .text)])
            if try record(&r, -1, part), refusals[part] == nil {
                do throws(ScenarioError) { scenario.policy = try Self.policy(r) } catch { note(error, part) }
            }
            return
        }
        guard try arrayStart(Self.sections[section], part) else { return }
        switch section {
        case 1:
            var r = JSONObjectReader(section: "products", fields: [("sku", .name), ("lotSize", .text), ("onHand", .text)])
            try eachRecord(&r, part) { (r: inout JSONObjectReader, scenario: inout Scenario) throws(ScenarioError) in
                let sku = try r.string(0)
                r.label = ("sku", sku)
                scenario.products.append(Scenario.Product(sku: sku, lotSize: try r.count(1), onHand: try r.count(2, default: 0)))
            }
        case 2:
            var r = JSONObjectReader(section: "customers", fields: [
                ("id", .name), ("internal", .text), ("tier", .text), ("weight", .text), ("hold", .text),
                ("minimumPerPeriod", .map), ("maximumPerPeriod", .map),
            ])
            try eachRecord(&r, part) { (r: inout JSONObjectReader, scenario: inout Scenario) throws(ScenarioError) in
                let id = try r.string(0)
                r.label = ("id", id)
                scenario.customers.append(Scenario.Customer(
                    id: id, isInternal: try r.bool(1, default: false), tier: try r.integer(2, default: 1),
                    weight: try r.decimal(3, default: .one), hold: try r.bool(4, default: false),
                    minimumPerPeriod: try r.quantityMap(5), maximumPerPeriod: try r.quantityMap(6)))
            }
        case 3:
            var r = JSONObjectReader(section: "supply", fields: [("sku", .name), ("period", .period), ("quantity", .text)])
            try eachRecord(&r, part) { (r: inout JSONObjectReader, scenario: inout Scenario) throws(ScenarioError) in
                scenario.supply.append(SupplyRow(sku: try r.string(0), period: try r.period(1), quantity: try r.count(2)))
            }
        case 4:
            var r = JSONObjectReader(section: "orders", fields: [
                ("id", .text), ("customer", .name), ("sku", .name), ("quantity", .text), ("requestedPeriod", .period),
                ("placedAt", .timestamp),
            ])
            try eachRecord(&r, part) { (r: inout JSONObjectReader, scenario: inout Scenario) throws(ScenarioError) in
                let id = try r.string(0)
                r.label = ("id", id)
                let at = try r.timestamp(5)
                scenario.orders.append(Scenario.Line(
                    id: id, customer: try r.string(1), sku: try r.string(2), quantity: try r.count(3),
                    requestedPeriod: try r.period(4), placedAt: at))
            }
        case 5:
            var r = JSONObjectReader(section: "fixed", fields: [("order", .text), ("period", .period), ("quantity", .text)])
            try eachRecord(&r, part) { (r: inout JSONObjectReader, scenario: inout Scenario) throws(ScenarioError) in
                scenario.fixed.append(FixedAllocation(order: try r.string(0), period: try r.period(1), quantity: try r.count(2)))
            }
        default:
            var r = JSONObjectReader(section: "history", fields: [("customer", .name), ("sku", .name), ("period", .period), ("quantity", .text)])
            try eachRecord(&r, part) { (r: inout JSONObjectReader, scenario: inout Scenario) throws(ScenarioError) in
                scenario.history.append(HistoryRow(customer: try r.string(0), sku: try r.string(1), period: try r.period(2),
                                                   quantity: try r.count(3)))
            }
        }
    }

    /// Reads the records of an opened section's array one by one into `r`,
    /// and hands each whose fields passed their checks to `decode`, until the
    /// section holds a refusal (later records are then only read: the first
    /// refusal in file order is the one reported).
    private mutating func eachRecord(
        _ r: inout JSONObjectReader, _ part: Int,
        _ decode: (inout JSONObjectReader, inout Scenario) throws(ScenarioError) -> Void
    ) throws {
        var n = 0
        repeat {
            if try record(&r, n, part), refusals[part] == nil {
                do throws(ScenarioError) { try decode(&r, &scenario) } catch { note(error, part) }
            }
            n += 1
        } while try reader.arrayNext()
    }

    /// Opens a section's array; false (the value skipped, the refusal kept) when it is not one, or empty.
    private mutating func arrayStart(_ name: String, _ part: Int) throws -> Bool {
        guard try reader.peekValue() == UInt8(ascii: "[") else {
            try reader.skipValue()
            note(ScenarioError("scenario", .wrongType(field: name, expected: "an array")), part)
            return false
        }
        return try reader.arrayStart()
    }

    /// Reads one record's object into `r`; false (the refusal kept) when it
    /// is not an object or has an unknown or repeated field.
    private mutating func record(_ r: inout JSONObjectReader, _ index: Int, _ part: Int) throws -> Bool {
        r.reset(index: index)
        guard try reader.peekValue() == UInt8(ascii: "{") else {
            try reader.skipValue()
            note(ScenarioError(r.record, .wrongType(field: r.record, expected: "an object")), part)
            return false
        }
        var problem: ScenarioError?
        if try reader.objectStart() {
            repeat {
                let key = try reader.memberKey()
                guard let f = r.field(named: key), !r.has(f) else {
                    if problem == nil {
                        let name = String(decoding: key, as: UTF8.self)
                        problem = ScenarioError(r.record, r.field(named: key) == nil ? .unknownField(name) : .duplicateField(name))
                    }
                    try reader.memberValue()
                    try reader.skipValue()
                    continue
                }
                try reader.memberValue()
                r.fields[f] = try value(r.shapes[f])
            } while try reader.objectNext()
        }
        if let problem { note(problem, part) }
        return problem == nil
    }

    /// One member's value, kept as the field's shape asks.
    private mutating func value(_ shape: JSONField.Shape) throws -> JSONField {
        switch try reader.peekValue() {
        case UInt8(ascii: "\""):
            let bytes = try reader.string()
            switch shape {
            case .text, .map:
                return .string(String(decoding: bytes, as: UTF8.self))
            case .name:
                return .string(names.value(for: bytes) { String(decoding: $0, as: UTF8.self) })
            case .period:
                let (text, week) = periods.value(for: bytes) { let t = String(decoding: $0, as: UTF8.self); return (t, Period(t)) }
                return .period(text, week)
            case .timestamp:
                let (text, at) = timestamps.value(for: bytes) { let t = String(decoding: $0, as: UTF8.self); return (t, Timestamp(rfc3339: t)) }
                return .timestamp(text, at)
            }
        case UInt8(ascii: "-"), 48...57:
            return .number(try reader.number())
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return .bool(try reader.bool())
        case UInt8(ascii: "{") where shape == .map:
            var members: [(key: String, value: JSONField)] = []
            if try reader.objectStart() {
                repeat {
                    let key = String(decoding: try reader.memberKey(), as: UTF8.self)
                    try reader.memberValue()
                    members.append((key, try value(.text)))
                } while try reader.objectNext()
            }
            return .map(members)
        default:
            try reader.skipValue()
            return .other
        }
    }

    private static func policy(_ r: JSONObjectReader) throws(ScenarioError) -> Policy {
        var p = Policy()
        if r.has(0) {
            let m = try r.string(0)
            guard let method = Policy.Method(rawValue: m) else { throw ScenarioError(r.record, .unknownMethod(m)) }
            p.method = method
        }
        if let t = try r.number(1)?.text {
            guard let f = ExactDecimal(t) else { throw ScenarioError(r.record, .unsupportedNumber(field: "internalFloorShare", text: t)) }
            guard f >= .zero, f <= .one else { throw ScenarioError(r.record, .floorShareOutOfRange(t)) }
            p.internalFloorShare = f
        }
        p.historyPeriods = try r.count(2, default: 13)
        return p
    }
}

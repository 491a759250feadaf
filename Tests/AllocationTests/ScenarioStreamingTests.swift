import Allocation
import Testing
import Values

/// The scenario reader streams: it reads the file in chunks, so every token
/// may be cut by a chunk's end, and it decodes records as they come, yet it
/// refuses a file exactly as a reader of the whole document would.
struct ScenarioStreamingTests {
    /// Decodes `bytes` handed out at most `chunk` bytes at a time.
    static func decode(_ bytes: [UInt8], chunk: Int, validating: Bool = true) throws -> Scenario {
        var offset = 0
        return try Scenario(reading: { buffer in
            let n = min(chunk, buffer.count, bytes.count - offset)
            for k in 0..<n { buffer[k] = bytes[offset + k] }
            offset += n
            return n
        }, validating: validating)
    }

    static func refusal(_ json: String, chunk: Int) -> String? {
        do { _ = try decode(Array(json.utf8), chunk: chunk); return nil } catch { return "\(error)" }
    }

    @Test("Cut into chunks of 1, 2, 3, 7 and 64 bytes, a scenario reads the same as whole", arguments: [1, 2, 3, 7, 64])
    func chunked(chunk: Int) throws {
        for seed in UInt64(0)..<20 {
            let s = RandomScenario.make(seed: seed)
            #expect(try Self.decode(s.jsonBytes(), chunk: chunk) == s, "seed \(seed)")
        }
        let huge = RandomScenario.huge(seed: 4)
        #expect(try Self.decode(huge.jsonBytes(), chunk: chunk) == huge)
    }

    @Test("Escapes, non-ASCII text, exponents and a byte order mark read the same cut into single bytes as whole")
    func escapesAcrossChunks() throws {
        let json = "\u{FEFF}" + #"""
            {"policy": {"internalFloorShare": 6e-1, "historyPeriods": 1.3e1},
             "products": [{"sku": "TR\u004E3", "lotSize": 16}],
             "customers": [{"id": "bücher \"a\"\n\ud83d\ude00", "weight": 0.50, "tier": 2e0}],
             "supply": [{"sku": "TRN3", "period": "2026-W49", "quantity": 1.6e2}],
             "orders": [{"id": "L\/1", "customer": "bücher \"a\"\n😀", "sku": "TRN3", "quantity": 16,
                         "requestedPeriod": "2026-W49", "placedAt": "2026-11-02T10:00:00.5+01:00"}]}
            """#
        let whole = try Scenario(json: Array(json.utf8))
        #expect(whole.customers[0].id == "bücher \"a\"\n😀")
        #expect(whole.orders[0].id == "L/1" && whole.products[0].sku == "TRN3")
        #expect(whole.policy.internalFloorShare == ExactDecimal("0.6")! && whole.policy.historyPeriods == 13)
        #expect(whole.customers[0].weight == ExactDecimal("0.5")! && whole.customers[0].tier == 2)
        #expect(whole.orders[0].placedAt.text == "2026-11-02T10:00:00.5+01:00")
        #expect(try Self.decode(Array(json.utf8), chunk: 1) == whole)
        #expect(try Scenario(json: whole.jsonBytes()) == whole)
    }

    @Test("Syntax errors are found wherever a chunk ends, at the same byte", arguments: [
        (#"{"products": [}"#, "scenario: malformed JSON at byte 14: unexpected character"),
        (#"{"products": [{"sku": "A", "lotSize": 1}]} x"#, "scenario: malformed JSON at byte 43: unexpected data after the document"),
        (#"{"products": [{"sku": "A", "lotSize": 01}]}"#, "scenario: malformed JSON at byte 40: leading zero in number"),
        (#"{"products": [{"sku": "A", "lotSize": 1."#, "scenario: malformed JSON at byte 40: invalid number"),
        (#"{"products": [{"sku": "A\u00"#, "scenario: malformed JSON at byte 26: bad \\u escape"),
        (#"{"products": [{"sku": "A"#, "scenario: malformed JSON at byte 24: unterminated string"),
        (#"{"products": tru"#, "scenario: malformed JSON at byte 13: invalid literal"),
        (#"{"products" [1]}"#, "scenario: malformed JSON at byte 12: expected ':'"),
        (#"{"products": [1 2]}"#, "scenario: malformed JSON at byte 16: expected ',' or ']'"),
        (#"{"products": [{"a": 1 "b": 2}]}"#, "scenario: malformed JSON at byte 22: expected ',' or '}'"),
        ("{\"products\": \"\u{1}\"}", "scenario: malformed JSON at byte 14: control character in string"),
        ("", "scenario: malformed JSON at byte 0: unexpected end of input"),
        ("[", "scenario: malformed JSON at byte 1: unexpected end of input"),
        ("[]", #"scenario: field "scenario" must be an object"#),
    ])
    func syntaxErrors(json: String, message: String) {
        for chunk in [1, 3, 1 << 20] {
            #expect(Self.refusal(json, chunk: chunk) == message, "chunk \(chunk)")
        }
    }

    @Test("A syntax error anywhere wins over a refused record before it, as when the whole document was parsed first")
    func syntaxFirst() {
        let json = #"{"products": [{"sku": "A", "lotSize": 1, "color": "red"}], "supply": [1,]}"#
        #expect(Self.refusal(json, chunk: 5) == "scenario: malformed JSON at byte 72: unexpected character")
    }

    @Test("Refusals come in the spec's order of sections, whatever the document's order")
    func sectionOrder() {
        let json = #"""
            {"history": [{"customer": 1}], "orders": [{"id": "L-1", "quantity": -1}],
             "customers": [{"id": "a", "tier": "high"}], "products": [{"sku": "A", "lotSize": 1, "color": "red"}]}
            """#
        #expect(Self.refusal(json, chunk: 4) == #"products[0]: unknown field "color""#)
        let fields = #"{"orders": [{"id": 5}], "extra": 1}"#
        #expect(Self.refusal(fields, chunk: 4) == #"scenario: unknown field "extra""#)
        let twice = #"{"products": [], "products": []}"#
        #expect(Self.refusal(twice, chunk: 4) == #"scenario: field "products" appears twice"#)
        let laterRecord = #"{"products": [{"sku": "A", "lotSize": 1}, {"sku": "B", "lotSize": "x"}, {"sku": 1}]}"#
        #expect(Self.refusal(laterRecord, chunk: 4) == #"products[1] (sku "B"): field "lotSize" must be a number"#)
    }

    @Test("Within a record, unknown and repeated fields come before the checks of its fields")
    func recordOrder() {
        #expect(Self.refusal(#"{"products": [{"lotSize": "x", "sku": 1, "sku": 2}]}"#, chunk: 2)
            == #"products[0]: field "sku" appears twice"#)
        #expect(Self.refusal(#"{"orders": [{"id": "L-1", "placedAt": "soon", "quantity": "x"}]}"#, chunk: 2)
            == #"orders[0] (id "L-1"): placedAt "soon" is not an RFC 3339 timestamp like 2026-11-02T10:00:00Z"#)
        #expect(Self.refusal(#"{"customers": [{"id": "a", "maximumPerPeriod": {"A": 1, "A": 2}}]}"#, chunk: 2)
            == #"customers[0] (id "a"): field "maximumPerPeriod.A" appears twice"#)
        #expect(Self.refusal(#"{"customers": [{"id": "a", "minimumPerPeriod": []}]}"#, chunk: 2)
            == #"customers[0] (id "a"): field "minimumPerPeriod" must be an object"#)
        #expect(Self.refusal(#"{"orders": [7]}"#, chunk: 2) == #"orders[0]: field "orders[0]" must be an object"#)
        #expect(Self.refusal(#"{"orders": {}}"#, chunk: 2) == #"scenario: field "orders" must be an array"#)
        #expect(Self.refusal(#"{"policy": null}"#, chunk: 2) == #"policy: field "policy" must be an object"#)
    }

    @Test("Without validating, the checks across records are left to the engine, which refuses with the same error")
    func validationLeftToTheEngine() throws {
        let json = #"{"products": [{"sku": "A", "lotSize": 1}], "supply": [{"sku": "B", "period": "2026-W01", "quantity": 1}]}"#
        let unchecked = try Self.decode(Array(json.utf8), chunk: 8, validating: false)
        #expect(unchecked.supply.count == 1)
        #expect(Self.refusal(json, chunk: 8) == #"supply[0]: unknown SKU "B""#)
        #expect(throws: ScenarioError("supply[0]", .unknownSKU("B"))) { try Allocator().allocate(unchecked) }
    }

    @Test("Numbers stay exact: 18-digit counts, 19 digits refused, -0 accepted, fractions kept as decimals")
    func exactNumbers() throws {
        func product(_ onHand: String) -> String { #"{"products": [{"sku": "A", "lotSize": 1, "onHand": \#(onHand)}]}"# }
        #expect(try Self.decode(Array(product("999999999999999999").utf8), chunk: 3).products[0].onHand == 999_999_999_999_999_999)
        #expect(try Self.decode(Array(product("-0").utf8), chunk: 3).products[0].onHand == 0)
        #expect(try Self.decode(Array(product("1.6e1").utf8), chunk: 3).products[0].onHand == 16)
        #expect(Self.refusal(product("1000000000000000000"), chunk: 3)
            == #"products[0] (sku "A"): onHand 1000000000000000000 is too large or has too many decimal places"#)
        #expect(Self.refusal(product("1.5"), chunk: 3) == #"products[0] (sku "A"): onHand 1.5 is not a whole number"#)
        #expect(Self.refusal(product("-16"), chunk: 3) == #"products[0] (sku "A"): onHand -16 is negative"#)
        let weights = #"{"customers": [{"id": "a", "weight": 0.000000001}, {"id": "b", "weight": 123456789.123456789}]}"#
        let s = try Self.decode(Array(weights.utf8), chunk: 2)
        #expect(s.customers.map(\.weight) == [ExactDecimal(units: 1, scale: 9), ExactDecimal(units: 123_456_789_123_456_789, scale: 9)])
    }

    @Test("A result written in chunks is byte for byte its JSON, with weeks and weights written as their descriptions")
    func writtenInChunks() throws {
        var s = ScenarioGenerator(lines: 3_000, customers: 40, skus: 3, weeks: 6, seed: 8).generate()
        s.customers[1].weight = ExactDecimal(units: -5, scale: 3)
        s.customers[2].weight = ExactDecimal(units: 1_234_567_890_123, scale: 9)
        var chunks = 0
        var bytes: [UInt8] = []
        s.writeJSON { chunks += 1; bytes += $0 }
        #expect(chunks > 1 && bytes == s.jsonBytes())
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""weight":-0.005,"#) && text.contains(#""weight":1234.567890123,"#))
        s.customers[1].weight = .one
        s.customers[2].weight = .one
        let result = try Allocator().allocate(s)
        var out: [UInt8] = []
        result.writeJSON { out += $0 }
        #expect(out == result.jsonBytes())
        let early = Period(year: 987, week: 3)!
        var tiny = Scenario()
        tiny.supply = [SupplyRow(sku: "A", period: early, quantity: 1)]
        #expect(tiny.jsonString().contains(#""period":"0987-W03""#) && early.description == "0987-W03")
    }
}

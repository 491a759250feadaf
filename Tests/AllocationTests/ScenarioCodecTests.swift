import Allocation
import Testing
import Values

struct ScenarioCodecTests {
    static let example = """
    {
      "policy": {"method": "fair", "internalFloorShare": 0.6, "historyPeriods": 13},
      "products": [{"sku": "TRN3", "lotSize": 16, "onHand": 0}],
      "customers": [{"id": "aws", "internal": true, "tier": 1, "weight": 1.5,
                     "hold": false,
                     "minimumPerPeriod": {"TRN3": 0}, "maximumPerPeriod": {}}],
      "supply": [{"sku": "TRN3", "period": "2026-W49", "quantity": 40000}],
      "orders": [{"id": "L-1", "customer": "aws", "sku": "TRN3", "quantity": 512,
                  "requestedPeriod": "2026-W49",
                  "placedAt": "2026-11-02T10:00:00Z"}],
      "fixed": [{"order": "L-1", "period": "2026-W49", "quantity": 256}],
      "history": [{"customer": "aws", "sku": "TRN3", "period": "2026-W40",
                   "quantity": 1024}]
    }
    """

    @Test("The spec's example scenario decodes with exact decimals")
    func decodesExample() throws {
        let s = try Scenario(json: Array(Self.example.utf8))
        #expect(s.policy.internalFloorShare == ExactDecimal(units: 3, scale: 1) * 2)
        #expect(s.customers[0].weight == ExactDecimal(units: 15, scale: 1))
        #expect(s.orders[0].placedAt == Timestamp(rfc3339: "2026-11-02T11:00:00+01:00"))
        #expect(s.fixed.count == 1 && s.history.count == 1)
    }

    @Test("Missing optional fields take the spec's defaults")
    func defaults() throws {
        let s = try Scenario(json: Array(#"{"customers": [{"id": "x"}], "products": [{"sku": "A", "lotSize": 1}]}"#.utf8))
        #expect(s.policy == Policy(method: .fair, internalFloorShare: .zero, historyPeriods: 13))
        #expect(s.customers[0] == Scenario.Customer(id: "x", isInternal: false, tier: 1, weight: .one, hold: false))
        #expect(s.products[0].onHand == 0)
    }

    @Test("Encoding then decoding gives the same scenario back")
    func roundTrip() throws {
        for seed in UInt64(0)..<200 {
            let s = RandomScenario.make(seed: seed)
            #expect(try Scenario(json: s.jsonBytes()) == s, "seed \(seed)")
        }
        let g = ScenarioGenerator(lines: 500, customers: 30, skus: 3, weeks: 6, seed: 3).generate()
        #expect(try Scenario(json: g.jsonBytes()) == g)
        let e = try Scenario(json: Array(Self.example.utf8))
        #expect(try Scenario(json: e.jsonBytes()) == e)
    }

    @Test("Scenarios with quantities up to 2^60 chips and weights of 18 digits, nine of them decimals, survive encoding and decoding")
    func hugeRoundTrip() throws {
        for seed in UInt64(0)..<100 {
            let s = RandomScenario.huge(seed: seed)
            #expect(try Scenario(json: s.jsonBytes()) == s, "seed \(seed)")
        }
    }

    static func refusal(_ json: String) -> ScenarioError? {
        do { _ = try Scenario(json: Array(json.utf8)); return nil } catch { return error }
    }

    static let product = #""products": [{"sku": "TRN3", "lotSize": 16}]"#
    static let customer = #""customers": [{"id": "aws"}]"#
    static func order(_ fields: String) -> String {
        #""orders": [{"id": "L-0", "customer": "aws", "sku": "TRN3", "quantity": 16, "requestedPeriod": "2026-W49", "placedAt": "2026-11-02T10:00:00Z"}, {"id": "L-9", "customer": "aws", "sku": "TRN3", "requestedPeriod": "2026-W49", "placedAt": "2026-11-02T10:00:00Z", "#
            + fields + "}]"
    }
    static let supply = #""supply": [{"sku": "TRN3", "period": "2026-W49", "quantity": 100}]"#

    @Test("Every refusal of the spec names the record", arguments: [
        ("{\(product), \(customer), \(order(#""quantity": 100"#))}",
         #"orders[1] (id "L-9"): quantity 100 is not a multiple of lot size 16 for SKU TRN3"#),
        ("{\(product), \(customer), \(order(#""quantity": -16"#))}", #"orders[1] (id "L-9"): quantity -16 is negative"#),
        (#"{\#(product), \#(customer), "orders": [{"id": "L-9", "customer": "aws", "sku": "X", "quantity": 16, "requestedPeriod": "2026-W49", "placedAt": "2026-11-02T10:00:00Z"}]}"#,
         #"orders[0] (id "L-9"): unknown SKU "X""#),
        (#"{\#(product), \#(customer), "orders": [{"id": "L-1", "customer": "gcp", "sku": "TRN3", "quantity": 16, "requestedPeriod": "2026-W49", "placedAt": "2026-11-02T10:00:00Z"}]}"#,
         #"orders[0] (id "L-1"): unknown customer "gcp""#),
        (#"{\#(product), \#(customer), "orders": [{"id": "L-1", "customer": "aws", "sku": "TRN3", "quantity": 16, "requestedPeriod": "2026-W54", "placedAt": "2026-11-02T10:00:00Z"}]}"#,
         #"orders[0] (id "L-1"): requestedPeriod "2026-W54" is not an ISO week like 2026-W49"#),
        (#"{\#(product), \#(customer), "orders": [{"id": "L-1", "customer": "aws", "sku": "TRN3", "quantity": 16, "requestedPeriod": "2026-W49", "placedAt": "2026-11-02 10:00"}]}"#,
         #"orders[0] (id "L-1"): placedAt "2026-11-02 10:00" is not an RFC 3339 timestamp like 2026-11-02T10:00:00Z"#),
        (#"{\#(product), \#(customer), "orders": [{"id": "L-0", "customer": "aws", "sku": "TRN3", "quantity": 16, "requestedPeriod": "2026-W49", "placedAt": "2026-11-02T10:00:00Z"}, {"id": "L-0", "customer": "aws", "sku": "TRN3", "quantity": 16, "requestedPeriod": "2026-W49", "placedAt": "2026-11-02T10:00:00Z"}]}"#,
         #"orders[1] (id "L-0"): duplicate order id "L-0""#),
        (#"{\#(product), "customers": [{"id": "a"}, {"id": "a"}]}"#, #"customers[1] (id "a"): duplicate customer id "a""#),
        (#"{"products": [{"sku": "A", "lotSize": 1}, {"sku": "A", "lotSize": 2}]}"#, #"products[1] (sku "A"): duplicate SKU "A""#),
        (#"{\#(product), "supply": [{"sku": "TRN3", "period": "2026-W49", "quantity": 1}, {"sku": "TRN3", "period": "2026-W49", "quantity": 2}]}"#,
         "supply[1]: a second supply row for SKU TRN3 in 2026-W49"),
        ("{\(product), \(customer), \(supply), \(order(#""quantity": 16"#)), \"fixed\": [{\"order\": \"L-7\", \"period\": \"2026-W49\", \"quantity\": 16}]}",
         #"fixed[0] (order "L-7"): unknown order line "L-7""#),
        ("{\(product), \(customer), \(supply), \(order(#""quantity": 16"#)), \"fixed\": [{\"order\": \"L-9\", \"period\": \"2026-W50\", \"quantity\": 16}]}",
         #"fixed[0] (order "L-9"): 2026-W50 is outside the supply horizon of SKU TRN3"#),
        ("{\(product), \(customer), \(supply), \(order(#""quantity": 16"#)), \"fixed\": [{\"order\": \"L-9\", \"period\": \"2026-W49\", \"quantity\": 8}]}",
         #"fixed[0] (order "L-9"): quantity 8 is not a multiple of lot size 16 for SKU TRN3"#),
        ("{\(product), \(customer), \(supply), \(order(#""quantity": 16"#)), \"fixed\": [{\"order\": \"L-9\", \"period\": \"2026-W49\", \"quantity\": 16}, {\"order\": \"L-9\", \"period\": \"2026-W49\", \"quantity\": 16}]}",
         #"fixed[1] (order "L-9"): a second fixed allocation for order L-9 in 2026-W49"#),
        ("{\(product), \(customer), \(order(#""quantity": 1000000000000000000"#))}",
         #"orders[1] (id "L-9"): quantity 1000000000000000000 is too large or has too many decimal places"#),
        (#"{"customers": [{"id": "a", "weight": 0.0000000001}]}"#, #"customers[0] (id "a"): weight 0.0000000001 is too large or has too many decimal places"#),
        (#"{"products": [{"sku": "A", "lotSize": 1, "onHand": 999999999999999999}], "supply": [{"sku": "A", "period": "2026-W01", "quantity": 999999999999999999}, {"sku": "A", "period": "2026-W02", "quantity": 999999999999999999}, {"sku": "A", "period": "2026-W03", "quantity": 999999999999999999}, {"sku": "A", "period": "2026-W04", "quantity": 999999999999999999}]}"#,
         "supply[3]: on-hand stock plus supply for SKU A exceeds 4611686018427387904 chips"),
        (#"{"customers": [{"id": "a", "weight": 0}]}"#, #"customers[0] (id "a"): weight 0 must be greater than 0"#),
        (#"{"customers": [{"id": "a", "weight": -1.5}]}"#, #"customers[0] (id "a"): weight -1.5 must be greater than 0"#),
        (#"{"customers": [{"id": "a", "tier": 0}]}"#, #"customers[0] (id "a"): tier 0 must be 1 or more"#),
        (#"{"customers": [{"id": "a", "minimumPerPeriod": {"X": 16}}]}"#, #"customers[0] (id "a"): unknown SKU "X""#),
        (#"{"policy": {"internalFloorShare": 1.5}}"#, "policy: internalFloorShare 1.5 is outside 0...1"),
        (#"{"policy": {"method": "lottery"}}"#, #"policy: method "lottery" is not one of fair, proportional, turn-and-earn"#),
        (#"{"policy": {"historyPeriods": 2.5}}"#, "policy: historyPeriods 2.5 is not a whole number"),
        (#"{"products": [{"sku": "A", "lotSize": 0}]}"#, #"products[0] (sku "A"): lotSize 0 must be 1 or more"#),
        (#"{"products": [{"sku": "A", "lotSize": 1, "color": "red"}]}"#, #"products[0]: unknown field "color""#),
        (#"{"products": [{"sku": "A"}]}"#, #"products[0] (sku "A"): missing field "lotSize""#),
        (#"{"products": [{"sku": 7, "lotSize": 1}]}"#, #"products[0]: field "sku" must be a string"#),
        (#"{"products": [{"sku": "A", "lotSize": 1}], "extra": 1}"#, #"scenario: unknown field "extra""#),
        (#"{"history": [{"customer": "x", "sku": "A", "period": "2026-W01", "quantity": 1}], "products": [{"sku": "A", "lotSize": 1}]}"#,
         #"history[0]: unknown customer "x""#),
        (#"{"products": [}"#, "scenario: malformed JSON at byte 14: unexpected character"),
    ])
    func refusals(json: String, message: String) {
        #expect(Self.refusal(json)?.description == message)
    }

    @Test("A refusal is a typed value the caller can match")
    func typedRefusal() {
        let e = Self.refusal(#"{"products": [{"sku": "A", "lotSize": 1}], "supply": [{"sku": "B", "period": "2026-W01", "quantity": 1}]}"#)
        #expect(e?.kind == .unknownSKU("B"))
        #expect(e?.record == "supply[0]")
    }
}

extension ExactDecimal {
    static func * (a: ExactDecimal, n: Int64) -> ExactDecimal { ExactDecimal(units: a.units * n, scale: a.scale) }
}

import Domain
import Foundation
import Testing
import Values

/// The rules every entry path shares (`order create`, `order import`,
/// `order amend`): one normalisation, one set of checks.
@Suite("Order entry rules")
struct EntryRuleTests {
    let nextWeek = Period.current().adding(1)

    func line(_ text: String, _ number: Int = 1) throws -> LineDraft { try LineDraft(number: number, parsing: text) }

    @Test("case, spacing and leading zeros are normalised: ' trn3 : 00016 : 2026-w50 ' is TRN3, 16 chips, 2026-W50")
    func normalisation() throws {
        let parsed = try line(" trn3 : 00016 : 2026-w50 ")
        #expect(parsed.sku == "TRN3" && parsed.quantity == 16 && parsed.requestedWeek.description == "2026-W50")
        let draft = try OrderDraft(customer: " Helios-DC ", reference: "\u{00A0} PO-1 \u{200B}", lines: [parsed])
        #expect(draft.customer == "helios-dc" && draft.reference == "PO-1")
        #expect(try LineDraft.number(parsing: "01", record: "row") == 1)
        #expect(try Customer(id: "tokyo-compute", name: "T", country: " jp ").country == "JP")
        #expect(try Product(sku: "trn3", name: "x", lotSize: 16, unitPrice: 1, currency: "usd").currency == "USD")
        #expect(Period(normalizing: "2026-w50")?.description == "2026-W50")
    }

    @Test("control characters, line breaks and direction overrides are refused in text a person enters", arguments: [
        "PO\u{1B}[2J", "PO\u{7}", "PO-1\nPO-2", "PO\u{202E}1-OP", "PO\u{85}1",
    ])
    func unsafeText(reference: String) throws {
        let failure = #expect(throws: ValidationFailure.self) {
            try OrderDraft(customer: "helios-dc", reference: reference, lines: [line("TRN3:16:2026-W50")])
        }
        #expect(failure?.field == "reference")
        // The message shows the value escaped, never raw.
        #expect(failure?.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" } == false)
    }

    @Test("a value is echoed at most 80 characters long, escaped, and quoted when it could be misread")
    func echo() {
        let long = String(repeating: "x", count: 10_000)
        let shown = Echo.quoted(long)
        #expect(shown.count == 83 && shown.hasSuffix("x…\""))
        #expect(Echo.value("TRN9") == "TRN9")
        #expect(Echo.value("TRN3 ") == "\"TRN3 \"")
        #expect(Echo.value("\u{00A0}TRN3") == "\"\\u{A0}TRN3\"")
        #expect(Echo.value("") == "\"\"")
        #expect(Echo.quoted("a\u{1B}[31mb") == "\"a\\u{1B}[31mb\"")
    }

    @Test("an unknown name suggests the nearest known one, and nothing when none is near")
    func suggestions() {
        let skus = ["TRN3", "TRN3-BOARD", "TRN3-SERVER"]
        #expect(Suggestion.nearest(to: "TRN9", among: skus) == "TRN3")
        #expect(Suggestion.nearest(to: "trn3-bord", among: skus) == "TRN3-BOARD")
        #expect(Suggestion.nearest(to: "H100", among: skus) == nil)
        let customers = ["aws-cloud", "helios-dc", "nordic-ai", "tokyo-compute"]
        #expect(Suggestion.nearest(to: "helios-cd", among: customers) == "helios-dc")
        #expect(Suggestion.nearest(to: "nobody", among: customers) == nil)
        #expect(Suggestion.hint(for: "TRN4", among: skus) == " (did you mean TRN3?)")
    }

    @Test("the current ISO week is computed in UTC, across year ends")
    func currentWeek() {
        func date(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }
        #expect(Period.current(date("2026-11-30T00:00:00Z")).description == "2026-W49")
        #expect(Period.current(date("2026-11-29T23:59:59Z")).description == "2026-W48")
        #expect(Period.current(date("2021-01-03T12:00:00Z")).description == "2020-W53")
        #expect(Period.current(date("2027-01-01T00:00:00Z")).description == "2026-W53")
    }

    @Test("a week before the current one is refused for a new order; history may include past weeks")
    func pastWeeks() throws {
        let catalogue = OrderCatalogue(products: ["TRN3": .init(lotSize: 16, currency: "USD")], customers: ["helios-dc"])
        let past = try OrderDraft(customer: "helios-dc", reference: "PO-1", lines: [line("TRN3:16:\(Period.current().adding(-1))")])
        let problems = past.problems(in: catalogue, weeks: .fromThisWeek)
        #expect(problems.map(\.field) == ["week"])
        #expect(problems.first?.problem.contains("is in the past") == true)
        #expect(past.problems(in: catalogue, weeks: .includingPastWeeks).isEmpty)
        let current = try OrderDraft(customer: "helios-dc", reference: "PO-2", lines: [line("TRN3:16:\(Period.current())")])
        #expect(current.problems(in: catalogue, weeks: .fromThisWeek).isEmpty)
    }

    @Test("an order's lines share one currency")
    func oneCurrency() throws {
        let catalogue = OrderCatalogue(
            products: ["TRN3": .init(lotSize: 16, currency: "USD"), "TRN3-EU": .init(lotSize: 16, currency: "EUR")],
            customers: ["helios-dc"])
        let mixed = try OrderDraft(customer: "helios-dc", reference: "PO-1", lines: [
            line("TRN3:16:\(nextWeek)", 1), line("TRN3-EU:16:\(nextWeek)", 2),
        ])
        let problems = mixed.problems(in: catalogue, weeks: .fromThisWeek)
        #expect(problems.map(\.field) == ["currency"])
        #expect(problems.first?.record == "order helios-dc/PO-1 line 2")
    }

    @Test("a cancelled line cannot be re-opened, and an amendment keeps to lots, shipments and weeks")
    func amendments() throws {
        func stored(quantity: Int, cancelled: Int, shipped: Int, week: Period) -> OrderLine {
            OrderLine(id: 1, number: 1, sku: "TRN3", quantity: quantity, requestedWeek: week, unitPrice: 1, currency: "USD",
                      cancelled: cancelled, shipped: shipped, status: .open)
        }
        let open = stored(quantity: 64, cancelled: 0, shipped: 32, week: nextWeek)
        let cancelled = stored(quantity: 64, cancelled: 64, shipped: 0, week: nextWeek)
        let grow = try LineAmendment(quantity: 128, week: nil, record: "r")
        #expect(throws: ValidationFailure.self) { try grow.check(cancelled, lotSize: 16, weeks: .fromThisWeek, record: "r") }
        try grow.check(open, lotSize: 16, weeks: .fromThisWeek, record: "r")
        #expect(throws: ValidationFailure.self) {
            try LineAmendment(quantity: 16, week: nil, record: "r").check(open, lotSize: 16, weeks: .fromThisWeek, record: "r")
        }
        #expect(throws: ValidationFailure.self) {
            try LineAmendment(quantity: 40, week: nil, record: "r").check(open, lotSize: 16, weeks: .fromThisWeek, record: "r")
        }
        let backwards = try LineAmendment(quantity: nil, week: Period.current().adding(-2), record: "r")
        #expect(throws: ValidationFailure.self) { try backwards.check(open, lotSize: 16, weeks: .fromThisWeek, record: "r") }
        let overdue = stored(quantity: 64, cancelled: 0, shipped: 0, week: Period.current().adding(-1))
        #expect(throws: ValidationFailure.self) { try grow.check(overdue, lotSize: 16, weeks: .fromThisWeek, record: "r") }
        try LineAmendment(quantity: 32, week: nil, record: "r").check(overdue, lotSize: 16, weeks: .fromThisWeek, record: "r")
        try LineAmendment(quantity: 128, week: nextWeek, record: "r").check(overdue, lotSize: 16, weeks: .fromThisWeek, record: "r")
    }

    @Test("a contract minimum or maximum that is not whole lots is refused")
    func contractLots() throws {
        var changes = CustomerChanges()
        changes.minimums["trn3"] = 100
        changes.maximums["TRN3"] = 4096
        let validated = try changes.validated(customer: "helios-dc")
        #expect(validated.minimums == ["TRN3": 100])
        let failure = #expect(throws: ValidationFailure.self) { try validated.checkWholeLots(sku: "TRN3", lotSize: 16, customer: "helios-dc") }
        #expect(failure?.field == "minimum for TRN3")
        changes.minimums["trn3"] = 96
        try changes.validated(customer: "helios-dc").checkWholeLots(sku: "TRN3", lotSize: 16, customer: "helios-dc")
    }

    @Test("text that cannot be read is malformed (a usage error on the command line); a value that breaks a rule is refused")
    func kinds() throws {
        #expect(throws: ValidationFailure(
            record: "line 1", field: "week", problem: "must be an ISO week like 2026-W49 (got \"2026-W54\")", kind: .malformed)) {
            try line("TRN3:16:2026-W54")
        }
        let zero = #expect(throws: ValidationFailure.self) { try line("TRN3:0:2026-W50") }
        #expect(zero?.kind == .refused)
        let price = #expect(throws: ValidationFailure.self) { try line("TRN3:16:2026-W50:1e9") }
        #expect(price?.kind == .malformed)
    }
}

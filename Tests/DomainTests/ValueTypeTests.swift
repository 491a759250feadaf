import Domain
import Foundation
import Testing
import Values

@Suite("Value types validate themselves")
struct ValueTypeTests {
    @Test("a customer with a bad field is refused naming the customer and the field")
    func customerFields() {
        #expect(throws: ValidationFailure(record: "customer helios-dc", field: "weight", problem: "must be greater than 0 and at most 1000000 (got 0)")) {
            try Customer(id: "helios-dc", name: "Helios", country: "DE", weight: 0)
        }
        #expect(throws: ValidationFailure.self) { try Customer(id: "Helios DC", name: "Helios", country: "DE") }
        #expect(throws: ValidationFailure.self) { try Customer(id: "helios-dc", name: "  ", country: "DE") }
        #expect(throws: ValidationFailure.self) { try Customer(id: "helios-dc", name: "Helios", country: "deu") }
        #expect(throws: ValidationFailure.self) { try Customer(id: "helios-dc", name: "Helios", country: "DE", tier: 0) }
        let kept = try? Customer(id: "zurich-1", name: "Zürich Rechenzentrum; DROP TABLE customers", country: "CH")
        #expect(kept?.name == "Zürich Rechenzentrum; DROP TABLE customers")
    }

    @Test("a product needs a well-formed SKU, a positive lot size, an exact price and a currency code")
    func productFields() {
        #expect(throws: ValidationFailure.self) { try Product(sku: "trn 3", name: "x", lotSize: 16, unitPrice: 1, currency: "USD") }
        #expect(throws: ValidationFailure.self) { try Product(sku: "TRN3", name: "x", lotSize: 0, unitPrice: 1, currency: "USD") }
        #expect(throws: ValidationFailure.self) { try Product(sku: "TRN3", name: "x", lotSize: 16, unitPrice: -1, currency: "USD") }
        #expect(throws: ValidationFailure.self) {
            try Product(sku: "TRN3", name: "x", lotSize: 16, unitPrice: Decimal(string: "1.005")!, currency: "USD")
        }
        #expect(throws: ValidationFailure.self) { try Product(sku: "TRN3", name: "x", lotSize: 16, unitPrice: 1, currency: "US") }
    }

    @Test("an order line parses from SKU:QUANTITY:WEEK[:PRICE]")
    func lineParsing() throws {
        let line = try LineDraft(number: 1, parsing: "TRN3:512:2026-W50")
        #expect(line.sku == "TRN3" && line.quantity == 512 && line.requestedWeek.description == "2026-W50" && line.unitPrice == nil)
        let priced = try LineDraft(number: 2, parsing: "TRN3:16:2026-W50:9500.50")
        #expect(priced.unitPrice == Decimal(string: "9500.50"))
        #expect(throws: ValidationFailure(record: "line 3", field: "quantity", problem: "must be a whole number of chips (got \"lots\")", kind: .malformed)) {
            try LineDraft(number: 3, parsing: "TRN3:lots:2026-W50")
        }
        #expect(throws: ValidationFailure.self) { try LineDraft(number: 1, parsing: "TRN3:-16:2026-W50") }
        #expect(throws: ValidationFailure.self) { try LineDraft(number: 1, parsing: "TRN3:16:2026-W54") }
        #expect(throws: ValidationFailure.self) { try LineDraft(number: 1, parsing: "TRN3:16") }
        #expect(throws: ValidationFailure.self) { try LineDraft(number: 1, parsing: "TRN3:99999999999:2026-W50") }
    }

    @Test("an order needs lines, and no line number twice")
    func orderDraft() throws {
        let line = try LineDraft(number: 1, parsing: "TRN3:16:2026-W50")
        #expect(throws: ValidationFailure.self) { try OrderDraft(customer: "helios-dc", reference: "PO-1", lines: []) }
        #expect(throws: ValidationFailure.self) { try OrderDraft(customer: "helios-dc", reference: "PO-1", lines: [line, line]) }
        #expect(throws: ValidationFailure.self) { try OrderDraft(customer: "helios-dc", reference: " ", lines: [line]) }
    }

    @Test("differences between a stored order and a re-entered one are listed line by line")
    func differences() throws {
        let stored = Order(
            id: 7, customer: "helios-dc", reference: "PO-1", placedAt: Date(), status: .open,
            lines: [OrderLine(
                id: 1, number: 1, sku: "TRN3", quantity: 512, requestedWeek: Period("2026-W50")!,
                unitPrice: 9800, currency: "USD", cancelled: 0, shipped: 0, status: .open)])
        let same = try OrderDraft(customer: "helios-dc", reference: "PO-1", lines: [LineDraft(number: 1, parsing: "TRN3:512:2026-W50")])
        #expect(stored.differences(from: same).isEmpty)
        let other = try OrderDraft(customer: "helios-dc", reference: "PO-1", lines: [
            LineDraft(number: 1, parsing: "TRN3:528:2026-W51"), LineDraft(number: 2, parsing: "TRN3:16:2026-W50"),
        ])
        #expect(stored.differences(from: other) == [
            "line 1 quantity: recorded 512, entered 528",
            "line 1 week: recorded 2026-W50, entered 2026-W51",
            "line 2: entered, not recorded",
        ])
    }
}

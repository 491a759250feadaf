import Database
import Domain
import Foundation
import Store
import Testing
import TestSupport

/// The shape of an imported file: headers, blank lines, broken records and
/// files that are not CSV at all. Every test imports as an order-desk login.
@Suite("Imported files of every shape")
struct ImportShapeTests {
    let w1 = Weeks.text(1)
    let header = "customer,reference,line,sku,quantity,week"

    @Test("a fully quoted header and trailing blank lines are accepted")
    func quotedHeaderAndBlankLines() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        let path = try Fixtures.file("orders.csv", """
            "customer","reference","line","sku","quantity","week"\r
            helios-dc,PO-1,1,TRN3,16,\(w1)\r
            helios-dc,PO-1,2,TRN3,32,\(w1)\r
            \r
            \r

               \n
            """)
        let summary = try OrderStore(desk.app).importCSV(path: path)
        #expect(summary == OrderImportSummary(rows: 2, ordersCreated: 1, linesCreated: 2, ordersAlreadyRecorded: 0))
        let supply = try Fixtures.file("supply.csv", "\"sku\",\"week\",\"quantity\"\nTRN3,\(w1),100\n\n\n")
        #expect(try SupplyStore(desk.app).importCSV(path: supply) == 1)
    }

    @Test("every bad row is reported with its line, also around rows with a structural error")
    func everyRowAroundBrokenOnes() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        let path = try Fixtures.file("orders.csv", """
            \(header)
            helios-dc,PO-1,1,TRN3,16,\(w1)
            helios-dc,PO-2,1,TRN3,16,\(w1),extra
            helios-dc,"PO-3"x,1,TRN3,16,\(w1)
            nobody,PO-4,1,TRN3,16,\(w1)
            "helios-dc","PO-5
            continued",1,TRN3,17,\(w1)
            helios-dc,PO-6,1,TRN3,16,2026-W54
            helios-dc,PO-7,1,TRN3,16,"\(w1)

            """)
        let failures = #expect(throws: ValidationFailures.self) { try OrderStore(desk.app).importCSV(path: path) }
        let found = failures?.failures.map { "\($0.record.split(separator: " ").last!) \($0.field)" } ?? []
        // Line 6 holds a quoted line break: the record starts there, and later lines keep their file numbers.
        #expect(found == ["3 CSV", "4 CSV", "5 customer", "6 reference", "6 quantity", "8 week", "9 CSV"])
        #expect(try Fixtures.count("orders", desk.owner) == 0)
    }

    @Test("a file with many bad rows reports the first 20 and counts them all")
    func bounded() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        let rows = (1...45).map { "helios-dc,PO-\($0),1,TRN3,17,\(w1)" }
        let path = try Fixtures.file("orders.csv", ([header] + rows).joined(separator: "\n"))
        let failures = #expect(throws: ValidationFailures.self) { try OrderStore(desk.app).importCSV(path: path) }
        #expect(failures?.failures.count == 20)
        #expect(failures?.total == 45)
        #expect(failures?.failures.first?.record.hasSuffix("line 2") == true)
        #expect(failures?.description.contains("… and 25 more") == true)
    }

    /// A file with no line break at all used to be read whole as its header,
    /// in time quadratic in its size, and echoed whole in the error.
    @Test("a large file without line breaks is refused at once, and the message echoes at most 80 characters of it")
    func noLineBreaks() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        let text = "customer,reference," + String(repeating: "x", count: 16 << 20)
        let path = try Fixtures.file("orders.csv", text)
        let started = ContinuousClock.now
        let failure = #expect(throws: ValidationFailure.self) { try OrderStore(desk.app).importCSV(path: path) }
        #expect(ContinuousClock.now - started < .seconds(2))
        #expect(failure?.field == "header")
        #expect((failure?.description.count ?? .max) < 300, "\(failure?.description.prefix(400) ?? "")")
    }

    @Test("a huge field is reported by its line with a short message, and the rows after it are still read")
    func hugeField() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        let huge = String(repeating: "R", count: 3 << 20)
        let path = try Fixtures.file("orders.csv", "\(header)\nhelios-dc,\(huge),1,TRN3,16,\(w1)\nhelios-dc,\(huge.prefix(200)),1,TRN3,16,\(w1)\nnobody,PO-9,1,TRN3,16,\(w1)\n")
        let failures = #expect(throws: ValidationFailures.self) { try OrderStore(desk.app).importCSV(path: path) }
        let found = failures?.failures.map { "\($0.record.split(separator: " ").last!) \($0.field)" } ?? []
        #expect(found == ["2 CSV", "3 reference", "4 customer"])
        #expect((failures?.description.count ?? .max) < 1000, "\(failures?.description.prefix(1200) ?? "")")
    }

    @Test("a missing file and a folder are told apart from bad data")
    func notAFile() throws {
        let desk = try EntryAgreementTests.desk()
        defer { desk.drop() }
        #expect(throws: InputFileError(path: "/nonexistent/orders.csv", errorNumber: ENOENT)) {
            try OrderStore(desk.app).importCSV(path: "/nonexistent/orders.csv")
        }
        let folder = FileManager.default.temporaryDirectory.path
        #expect(throws: InputFileError(path: folder, errorNumber: EISDIR)) { try OrderStore(desk.app).importCSV(path: folder) }
        #expect(throws: InputFileError(path: folder, errorNumber: EISDIR)) { try SupplyStore(desk.app).importCSV(path: folder) }
    }
}

import Database
import Foundation
import Testing
import TestSupport

@Suite("Typed, NULL-safe values")
struct TypeRoundTripTests {
    @Test("every supported type survives a round trip through the server")
    func roundTrip() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        let id = UUID()
        let moment = Date(timeIntervalSince1970: 1_795_000_000.123456)
        let money = Decimal(string: "123456789012345678901234.5678901234")!
        let row = try #require(try connection.queryFirst(
            """
            SELECT $1::int8 AS big, $2::int4 AS small, $3::text AS name, $4::bool AS flag,
                   $5::numeric AS money, $6::uuid AS id, $7::timestamptz AS at, $8::date AS day,
                   $9::text AS missing
            """,
            [Int.max, Int32.min, "Zürich 東京 🚀 O'Brien; DROP TABLE x", true, money, id, moment, "2026-12-07", nil]))
        #expect(try row.decode("big", as: Int.self) == Int.max)
        #expect(try row.decode("small", as: Int32.self) == Int32.min)
        #expect(try row.decode("name", as: String.self) == "Zürich 東京 🚀 O'Brien; DROP TABLE x")
        #expect(try row.decode("flag", as: Bool.self) == true)
        #expect(try row.decode("money", as: Decimal.self) == money)
        #expect(try row.decode("id", as: UUID.self) == id)
        let at = try row.decode("at", as: Date.self)
        #expect(abs(at.timeIntervalSince(moment)) < 0.000_002)
        let day = try row.decode("day", as: Date.self)
        #expect(day == Date(timeIntervalSince1970: 1_796_601_600))  // 2026-12-07T00:00:00Z
        #expect(try row.decodeIfPresent("missing", as: String.self) == nil)
        #expect(try row.isNull("missing"))
    }

    @Test("a text array parameter keeps every element whole: commas, braces, quotes, backslashes and NULL are text")
    func textArray() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        let elements = ["TRN3", "a,b", "{c}", "d\"e", "f\\g", "NULL", "", "東京 🚀"]
        let rows = try connection.execute(
            "SELECT e, n::int AS n FROM unnest($1::text[]) WITH ORDINALITY AS x(e, n) ORDER BY n", [elements])
        #expect(try rows.map { try $0.decode("e", as: String.self) } == elements)
        let empty = try #require(try connection.queryFirst("SELECT cardinality($1::text[]) AS n", [[String]()]))
        #expect(try empty.decode("n", as: Int.self) == 0)
    }

    @Test("a NULL read as a required value is an error naming the column")
    func nullIsAnError() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        let row = try #require(try connection.queryFirst("SELECT NULL::int AS quantity"))
        let error = #expect(throws: DatabaseError.self) { try row.decode("quantity", as: Int.self) }
        #expect(error?.kind == .decoding)
        #expect(error?.column == "quantity")
        #expect(error?.message.contains("quantity") == true)
    }

    @Test("a value of the wrong type is an error naming the column and both types")
    func wrongTypeNamesColumn() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        let row = try #require(try connection.queryFirst("SELECT 'TRN3'::text AS sku, 1.5::numeric AS weight"))
        let error = #expect(throws: DatabaseError.self) { try row.decode("sku", as: Int.self) }
        #expect(error?.message == "column \"sku\" has type text and cannot be read as Int")
        // A fractional numeric is never silently read as an integer.
        #expect(throws: DatabaseError.self) { try row.decode("weight", as: Int.self) }
        let missing = #expect(throws: DatabaseError.self) { try row.decode("price", as: Decimal.self) }
        #expect(missing?.message.contains("no column \"price\"") == true)
    }

    @Test("decimals beyond 38 significant digits are refused, not rounded")
    func hugeDecimalRefused() throws {
        let database = try TestDatabase.make(migrated: false)
        defer { database.drop() }
        let connection = try database.connect()
        let row = try #require(try connection.queryFirst(
            "SELECT '1234567890123456789012345678901234567890.5'::numeric AS too_precise, '1e40'::numeric AS round_big"))
        #expect(throws: DatabaseError.self) { try row.decode("too_precise", as: Decimal.self) }
        #expect(try row.decode("round_big", as: Decimal.self) == Decimal(string: "1e40"))
    }

    @Test("ISO week helpers in the schema accept real weeks and refuse others")
    func isoWeekDomain() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let connection = try database.connect()
        let row = try #require(try connection.queryFirst(
            """
            SELECT is_iso_week('2026-W53') AS w53_2026, is_iso_week('2025-W53') AS w53_2025,
                   is_iso_week('2026-W00') AS w00, is_iso_week('2026-49') AS malformed,
                   iso_week_add('2026-W52', 2)::text AS later, iso_week_monday('2026-W49') AS monday
            """))
        #expect(try row.decode("w53_2026", as: Bool.self) == true)
        #expect(try row.decode("w53_2025", as: Bool.self) == false)
        #expect(try row.decode("w00", as: Bool.self) == false)
        #expect(try row.decode("malformed", as: Bool.self) == false)
        #expect(try row.decode("later", as: String.self) == "2027-W01")
        #expect(try row.decode("monday", as: Date.self) == Date(timeIntervalSince1970: 1_795_996_800))  // 2026-11-30
    }
}

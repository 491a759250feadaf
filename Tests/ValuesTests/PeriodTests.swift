import Testing
import Values

struct PeriodTests {
    @Test("ISO weeks parse, format and order", arguments: ["2026-W49", "2026-W01", "2026-W53", "2020-W53", "0001-W01", "0987-W05", "9999-W52"])
    func parseAndFormat(text: String) throws {
        let p = try #require(Period(text))
        #expect(p.description == text)
        #expect(p < p.next)
        #expect(Period(ordinal: p.ordinal) == p)
    }

    @Test("Malformed or non-existent weeks are refused", arguments: ["2025-W53", "2026-W00", "2026-W54", "2026-49", "26-W49", "2026-W4", "2026-w49", "", "2O26-W49", "2026-W4x", "2026+W49", "0000-W01", "２０２６-W49"])
    func refused(text: String) {
        #expect(Period(text) == nil)
    }

    @Test("Years have 52 or 53 ISO weeks")
    func weeksInYear() {
        #expect(Period.weeks(inYear: 2026) == 53)
        #expect(Period.weeks(inYear: 2025) == 52)
        #expect(Period.weeks(inYear: 2020) == 53)
        #expect(Period.weeks(inYear: 2015) == 53)
        #expect(Period(year: 2026, week: 53)!.next == Period(year: 2027, week: 1))
        #expect(Period(year: 2027, week: 1)!.advanced(by: -2) == Period(year: 2026, week: 52))
    }

    @Test("Decimals are read exactly from their text", arguments: [("1.5", 15, 1), ("0.6", 6, 1), ("1e2", 100, 0), ("2.50", 25, 1), ("0.000000001", 1, 9), ("-0", 0, 0)])
    func decimals(text: String, units: Int64, scale: Int) {
        #expect(ExactDecimal(text) == ExactDecimal(units: units, scale: scale))
    }

    @Test("Floor share times lots is floored exactly")
    func floorTimes() {
        #expect(ExactDecimal("0.6")!.floorTimes(10) == 6)
        #expect(ExactDecimal("0.6")!.floorTimes(9) == 5)
        #expect(ExactDecimal("0.1")!.floorTimes(30) == 3)  // 0.1 * 30 in Double is 3.0000000000000004
        #expect(ExactDecimal("0.7")!.floorTimes(10) == 7)  // 0.7 * 10 in Double is 7.000000000000001
    }
}

import Domain
import Testing
import Values

/// Parsing and formatting are the allocator's `Period` (see AllocationTests);
/// these cover what the domain adds.
@Suite("ISO weeks in the domain")
struct PeriodEntryTests {
    @Test("adding weeks crosses years with 52 and 53 weeks")
    func adding() throws {
        #expect(try #require(Period("2026-W52")).adding(1).description == "2026-W53")
        #expect(try #require(Period("2026-W53")).adding(1).description == "2027-W01")
        #expect(try #require(Period("2025-W52")).adding(1).description == "2026-W01")
        #expect(try #require(Period("2026-W49")).adding(26).description == "2027-W22")
    }
}

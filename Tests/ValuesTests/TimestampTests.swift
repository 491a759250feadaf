import Testing
import Values

/// One reader of PostgreSQL's timestamp text: result columns, COPY rows and
/// the database clock all parse through `Timestamp(postgres:)`.
struct TimestampTests {
    @Test("PostgreSQL's timestamp text reads as the RFC 3339 instant it denotes", arguments: [
        ("2026-11-26 23:01:02.123456+00", "2026-11-26T23:01:02.123456Z"),
        ("2026-11-26 23:01:02.5+00", "2026-11-26T23:01:02.5Z"),
        ("2026-11-26 23:01:02+00", "2026-11-26T23:01:02Z"),
        ("2026-11-26 23:01:02", "2026-11-26T23:01:02Z"),
        ("2026-11-26", "2026-11-26T00:00:00Z"),
        ("2026-11-27 04:31:02+05:30", "2026-11-27T04:31:02+05:30"),
        ("2026-11-26 18:01:02-05", "2026-11-26T18:01:02-05:00"),
    ])
    func postgres(text: String, rfc3339: String) throws {
        let read = try #require(Timestamp(postgres: text))
        #expect(read.text == rfc3339)
        #expect(read == Timestamp(rfc3339: rfc3339))
    }

    @Test("an offset moves the instant: every spelling of one moment is equal")
    func offsets() throws {
        let utc = try #require(Timestamp(postgres: "2026-11-26 23:01:02+00"))
        #expect(Timestamp(postgres: "2026-11-27 04:31:02+05:30") == utc)
        #expect(Timestamp(postgres: "2026-11-26 18:01:02-05") == utc)
        #expect(utc == Timestamp(seconds: 1_795_734_062))
    }

    @Test("text PostgreSQL writes for no instant is refused", arguments: [
        "infinity", "-infinity", "2026-11-26 23:01:02 BC", "2026-13-01", "2026-11-26 23:01", "2026-11-26X23:01:02", "",
    ])
    func refused(text: String) {
        #expect(Timestamp(postgres: text) == nil)
    }

    @Test("whole seconds drop the fraction toward the past, also before 1970")
    func wholeSeconds() {
        #expect(Timestamp(seconds: 1_795_734_062, nanoseconds: 999_999_999).wholeSeconds.text == "2026-11-26T23:01:02Z")
        #expect(Timestamp(seconds: -1, nanoseconds: 500_000_000).wholeSeconds.text == "1969-12-31T23:59:59Z")
    }

    @Test("the week containing an instant is its ISO week in UTC, also before 1970", arguments: [
        ("2026-11-30T00:00:00Z", "2026-W49"), ("2026-11-29T23:59:59Z", "2026-W48"),
        ("2026-11-30T00:30:00+01:00", "2026-W48"), ("2021-01-03T12:00:00Z", "2020-W53"),
        ("2027-01-01T00:00:00Z", "2026-W53"), ("1970-01-01T00:00:00Z", "1970-W01"),
        ("1969-12-28T23:59:59Z", "1969-W52"), ("1969-12-29T00:00:00Z", "1970-W01"),
    ])
    func containingWeek(instant: String, week: String) throws {
        #expect(Period(containing: try #require(Timestamp(rfc3339: instant))).description == week)
    }

    @Test("the current week is the week of the wall clock now")
    func currentWeek() {
        let before = Timestamp.now
        let week = Period.current()
        let after = Timestamp.now
        #expect(week == Period(containing: before) || week == Period(containing: after))
        #expect(before.seconds > 1_790_000_000)
    }
}

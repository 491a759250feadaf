/// An RFC 3339 timestamp, kept as its original text and compared as an instant.
///
/// Two timestamps are equal when they denote the same instant, whatever their
/// offsets (`2026-11-02T11:00:00+01:00 == 2026-11-02T10:00:00Z`). Fractions
/// finer than a nanosecond are truncated.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The text as given (echoed back when the scenario is encoded).
    public let text: String
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int64
    /// Nanoseconds within the second (0..<1_000_000_000).
    public let nanoseconds: Int32

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `nil` when malformed.
    public init?(rfc3339 text: String) {
        guard let (seconds, nanoseconds) = Timestamp.instant(rfc3339: Array(text.utf8)) else { return nil }
        self.text = text
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// The instant an RFC 3339 text denotes: seconds since 1970 and nanoseconds.
    static func instant(rfc3339 b: [UInt8]) -> (seconds: Int64, nanoseconds: Int32)? {
        func num(_ at: Int, _ n: Int) -> Int? {
            guard at + n <= b.count else { return nil }
            var v = 0
            for i in at..<(at + n) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard b.count >= 20,
              let year = num(0, 4), b[4] == UInt8(ascii: "-"),
              let month = num(5, 2), b[7] == UInt8(ascii: "-"),
              let day = num(8, 2),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              let hour = num(11, 2), b[13] == UInt8(ascii: ":"),
              let minute = num(14, 2), b[16] == UInt8(ascii: ":"),
              let second = num(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second <= 60 else { return nil }
        var i = 19
        var nanos = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var count = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if count < 9 { nanos = nanos * 10 + Int(b[i] - 48) }
                count += 1; i += 1
            }
            guard count > 0 else { return nil }
            for _ in min(count, 9)..<9 { nanos *= 10 }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"), let om = num(i + 4, 2),
                  oh < 24, om < 60 else { return nil }
            offset = (oh * 60 + om) * 60 * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        return (Int64(days * 86400 + hour * 3600 + minute * 60 + second - offset), Int32(nanos))
    }

    /// Creates a UTC timestamp; its text is the canonical `YYYY-MM-DDTHH:MM:SSZ`
    /// form (with a nine-digit fraction when `nanoseconds` is not zero).
    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        let s = Int(seconds)
        var days = s / 86400
        var rest = s % 86400
        if rest < 0 { rest += 86400; days -= 1 }
        let (y, m, d) = CivilDate.civil(fromDays: days)
        func pad(_ v: Int, _ n: Int) -> String {
            let t = String(v)
            return String(repeating: "0", count: max(0, n - t.count)) + t
        }
        var t = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rest / 3600, 2)):\(pad(rest / 60 % 60, 2)):\(pad(rest % 60, 2))"
        if nanoseconds != 0 { t += "." + pad(Int(nanoseconds), 9) }
        self.text = t + "Z"
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public var description: String { text }

    /// The same instant without its fraction of a second (toward the past),
    /// written `2026-11-26T23:01:02Z`: how listings and reports show a time.
    public var wholeSeconds: Timestamp { Timestamp(seconds: seconds) }

    public static func == (a: Timestamp, b: Timestamp) -> Bool {
        a.seconds == b.seconds && a.nanoseconds == b.nanoseconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(seconds)
        hasher.combine(nanoseconds)
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }
}

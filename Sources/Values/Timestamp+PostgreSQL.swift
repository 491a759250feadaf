/// PostgreSQL's text form of `timestamptz`, `timestamp` and `date` values:
/// the one reader of database timestamps (result columns, COPY rows and the
/// database clock all come through here).
extension Timestamp {
    /// Parses PostgreSQL's ISO output (`2026-11-26 23:01:02.123456+00`,
    /// `2026-11-26 23:01:02`, `2026-11-26`); `nil` for anything else
    /// (`infinity`, BC dates). A value without an offset is UTC (sessions
    /// pin their time zone to UTC). The text becomes RFC 3339 (`T` for the
    /// space, `Z` for `+00`), so it can be echoed in a scenario file.
    public init?(postgres text: String) {
        self.init(postgresUTF8: Array(text.utf8))
    }

    /// `init(postgres:)` from the UTF-8 bytes of a result field (COPY rows).
    public init?(postgresUTF8 bytes: [UInt8]) {
        guard let rfc3339 = Timestamp.rfc3339(postgres: bytes),
              let (seconds, nanoseconds) = Timestamp.instant(rfc3339: rfc3339) else { return nil }
        self.text = String(decoding: rfc3339, as: UTF8.self)
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// The RFC 3339 spelling of PostgreSQL's text, or `nil` when it is not
    /// `YYYY-MM-DD[( |T)HH:MM:SS[.fraction][Z|±HH[:MM]]]`.
    static func rfc3339(postgres bytes: [UInt8]) -> [UInt8]? {
        if bytes.count == 10 { return bytes + Array("T00:00:00Z".utf8) }
        guard bytes.count >= 19, bytes[10] == UInt8(ascii: " ") || bytes[10] == UInt8(ascii: "T") else { return nil }
        var text = bytes
        text[10] = UInt8(ascii: "T")
        // The zone starts after the seconds and their fraction.
        var zone = 19
        if zone < text.count, text[zone] == UInt8(ascii: ".") {
            zone += 1
            while zone < text.count, text[zone] >= 48, text[zone] <= 57 { zone += 1 }
        }
        switch text.count - zone {
        case 0:
            text.append(UInt8(ascii: "Z"))
        case 3 where text[zone] == UInt8(ascii: "+") || text[zone] == UInt8(ascii: "-"):
            // `+00` is UTC; `+05` is `+05:00`.
            if text[zone + 1] == 48, text[zone + 2] == 48 {
                text.replaceSubrange(zone..., with: [UInt8(ascii: "Z")])
            } else {
                text.append(contentsOf: Array(":00".utf8))
            }
        default:
            break  // `Z` or `±HH:MM`, as RFC 3339 has them; anything else fails to parse.
        }
        return text
    }
}

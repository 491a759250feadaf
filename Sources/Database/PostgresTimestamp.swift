import Foundation

/// Reads and writes PostgreSQL's ISO timestamp text (`2026-11-26 23:01:02.123456+00`).
/// The session time zone is pinned to UTC, so the server writes UTC.
enum PostgresTimestamp {
    static func format(_ date: Date) -> String {
        let totalMicros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        var seconds = Int64(floor(totalMicros / 1_000_000))
        let micros = Int64(totalMicros) - seconds * 1_000_000
        let days = floorDivide(seconds, 86_400)
        seconds -= days * 86_400
        let (year, month, day) = civilFromDays(days)
        let text = String(format: "%04d-%02d-%02d %02d:%02d:%02d.%06d+00",
                          year, month, day, Int(seconds / 3600), Int(seconds / 60 % 60), Int(seconds % 60), Int(micros))
        return text
    }

    /// Parses `YYYY-MM-DD[ HH:MM:SS[.ffffff]][+HH[:MM]]`; `nil` when the text is not such a value.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<digits {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                index += 1
            }
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        var seconds = Double(daysFromCivil(year, month, day) * 86_400)
        if index < bytes.count {
            guard expect(32) || expect(84), let hour = number(2), expect(58), let minute = number(2), expect(58),
                  let second = number(2) else { return nil }
            seconds += Double(hour * 3600 + minute * 60 + second)
            if expect(46) {
                var scale = 0.1
                var fraction = 0.0
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    fraction += Double(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
                seconds += fraction
            }
            if index < bytes.count {
                let sign: Double
                if expect(43) { sign = 1 } else if expect(45) { sign = -1 } else if expect(90) { sign = 0 } else { return nil }
                if sign != 0 {
                    guard let offsetHours = number(2) else { return nil }
                    var offset = offsetHours * 3600
                    if expect(58) { guard let minutes = number(2) else { return nil }; offset += minutes * 60 }
                    seconds -= sign * Double(offset)
                }
            }
        }
        guard index == bytes.count else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : (a - b + 1) / b
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

import Foundation

/// Reads and writes PostgreSQL's ISO timestamp text (`2026-11-26 23:01:02.123456+00`).
/// The session time zone is pinned to UTC, so the server writes UTC; the
/// calendar arithmetic is Foundation's Gregorian calendar in UTC.
enum PostgresTimestamp {
    nonisolated(unsafe) static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = micros - seconds * 1_000_000
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second],
                                        from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d.%06d+00",
                      c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0, Int(fraction))
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
        var components = DateComponents(year: year, month: month, day: day)
        var fraction = 0.0
        var offset = 0
        if index < bytes.count {
            guard expect(32) || expect(84), let hour = number(2), expect(58), let minute = number(2), expect(58),
                  let second = number(2) else { return nil }
            components.hour = hour
            components.minute = minute
            components.second = second
            if expect(46) {
                var scale = 0.1
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    fraction += Double(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
            }
            if index < bytes.count {
                let sign: Int
                if expect(43) { sign = 1 } else if expect(45) { sign = -1 } else if expect(90) { sign = 0 } else { return nil }
                if sign != 0 {
                    guard let hours = number(2) else { return nil }
                    offset = hours * 3600
                    if expect(58) { guard let minutes = number(2) else { return nil }; offset += minutes * 60 }
                    offset *= sign
                }
            }
        }
        guard index == bytes.count, let date = calendar.date(from: components) else { return nil }
        return date.addingTimeInterval(fraction - Double(offset))
    }
}

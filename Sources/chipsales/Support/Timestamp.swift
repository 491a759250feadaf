import Foundation

/// UTC timestamps as RFC 3339 text (`2026-11-26T23:01:02Z`).
enum Timestamp {
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}

extension FileHandle {
    /// Writes one line to stderr (notes and warnings; results go to stdout),
    /// through `StandardError`, which never traps on a closed descriptor.
    static func standardErrorLine(_ text: String) {
        StandardError.line(text)
    }
}

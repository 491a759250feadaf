import Database

/// Caches the COPY text form of the few distinct values (customer ids,
/// SKUs, weeks) that repeat across a million rows, so each is escaped once.
struct CopyTextCache<Key: Hashable> {
    private var cache: [Key: [UInt8]] = [:]
    private let text: (Key) -> String

    init(_ text: @escaping (Key) -> String) { self.text = text }

    mutating func bytes(_ key: Key) -> [UInt8] {
        if let cached = cache[key] { return cached }
        var escaped: [UInt8] = []
        CopyInWriter.appendEscaped(text(key), to: &escaped)
        cache[key] = escaped
        return escaped
    }
}

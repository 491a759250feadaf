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
        for byte in text(key).utf8 {
            switch byte {
            case 92: escaped += [92, 92]
            case 9: escaped += [92, UInt8(ascii: "t")]
            case 10: escaped += [92, UInt8(ascii: "n")]
            case 13: escaped += [92, UInt8(ascii: "r")]
            default: escaped.append(byte)
            }
        }
        cache[key] = escaped
        return escaped
    }
}

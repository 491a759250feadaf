/// Gives each distinct short text (a customer id, a SKU, a currency) a small
/// integer code; texts of up to 15 bytes are looked up without allocating.
struct Interner {
    private(set) var values: [String] = []
    private var short: [UInt128: Int32] = [:]
    private var long: [String: Int32] = [:]

    mutating func code(_ bytes: Slice<UnsafeRawBufferPointer>) -> Int32 {
        if bytes.count <= 15 {
            var key = UInt128(bytes.count)
            for byte in bytes { key = key << 8 | UInt128(byte) }
            if let code = short[key] { return code }
            let code = Int32(values.count)
            values.append(String(decoding: bytes, as: UTF8.self))
            short[key] = code
            return code
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if let code = long[text] { return code }
        let code = Int32(values.count)
        values.append(text)
        long[text] = code
        return code
    }
}

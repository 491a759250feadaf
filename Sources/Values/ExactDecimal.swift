/// An exact decimal number `units / 10^scale`, read from JSON number text.
///
/// `1.5` is `15 / 10`, `0.6` is `6 / 10`; no binary floating point is involved.
/// The value is kept normalised (no trailing zeros in `units` when `scale > 0`),
/// so equal numbers compare equal structurally.
public struct ExactDecimal: Hashable, Sendable, CustomStringConvertible {
    /// The integer numerator.
    public let units: Int64
    /// Number of decimal places (0...`maxScale`).
    public let scale: Int

    /// The most decimal places supported.
    public static let maxScale = 9
    static let powersOfTen: [Int64] = (0...18).map { p in (0..<p).reduce(Int64(1)) { r, _ in r * 10 } }

    public static let zero = ExactDecimal(units: 0, scale: 0)
    public static let one = ExactDecimal(units: 1, scale: 0)

    /// Creates `units / 10^scale`, normalised. `scale` must be in 0...`maxScale`.
    public init(units: Int64, scale: Int) {
        precondition((0...ExactDecimal.maxScale).contains(scale))
        var u = units
        var s = scale
        while s > 0, u % 10 == 0 { u /= 10; s -= 1 }
        self.units = u
        self.scale = s
    }

    /// Parses JSON number text (`-?int(.frac)?([eE][+-]?exp)?`). Returns `nil`
    /// when the text is not a number, has more than `maxScale` significant
    /// decimal places, or does not fit.
    public init?(_ text: String) {
        var b = Array(text.utf8)[...]
        var negative = false
        if b.first == UInt8(ascii: "-") { negative = true; b = b.dropFirst() }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var sawDigit = false
        while let c = b.first, c >= 48, c <= 57 { digits.append(c - 48); b = b.dropFirst(); sawDigit = true }
        guard sawDigit else { return nil }
        if digits.count > 1, digits[0] == 0 { return nil }
        if b.first == UInt8(ascii: ".") {
            b = b.dropFirst()
            var any = false
            while let c = b.first, c >= 48, c <= 57 { digits.append(c - 48); fractionDigits += 1; b = b.dropFirst(); any = true }
            guard any else { return nil }
        }
        var exponent = 0
        if let e = b.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            b = b.dropFirst()
            var expNegative = false
            if let s = b.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { expNegative = s == UInt8(ascii: "-"); b = b.dropFirst() }
            var any = false
            while let c = b.first, c >= 48, c <= 57 {
                exponent = min(exponent * 10 + Int(c - 48), 1000)
                b = b.dropFirst(); any = true
            }
            guard any else { return nil }
            if expNegative { exponent = -exponent }
        }
        guard b.isEmpty else { return nil }
        // value = digits * 10^(exponent - fractionDigits)
        var scale = fractionDigits - exponent
        while scale > 0, let last = digits.last, last == 0, digits.count > 1 { digits.removeLast(); scale -= 1 }
        while let first = digits.first, first == 0, digits.count > 1 { digits.removeFirst() }
        if digits == [0] { scale = 0 }
        while scale < 0 { digits.append(0); scale += 1 }
        guard scale <= ExactDecimal.maxScale, digits.count <= 18 else { return nil }
        var u: Int64 = 0
        for d in digits { u = u * 10 + Int64(d) }
        self.init(units: negative ? -u : u, scale: scale)
    }

    /// `10^scale`, the denominator.
    public var denominator: Int64 { ExactDecimal.powersOfTen[scale] }

    /// True when the value is greater than zero.
    public var isPositive: Bool { units > 0 }

    /// `floor(self * n)`, exact for every `n` (the product is taken in 128
    /// bits). The result must fit an `Int`, as it does for `0 <= self <= 1`.
    public func floorTimes(_ n: Int) -> Int {
        let p = Int128(n) * Int128(units)
        let d = Int128(denominator)
        let q = p / d
        return Int(p % d < 0 ? q - 1 : q)
    }

    public var description: String {
        let negative = units < 0
        let magnitude = units.magnitude
        guard scale > 0 else { return String(units) }
        let den = UInt64(denominator)
        let whole = magnitude / den
        let frac = String(magnitude % den)
        return (negative ? "-" : "") + String(whole) + "." + String(repeating: "0", count: scale - frac.count) + frac
    }
}

extension ExactDecimal: Comparable {
    public static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
        let s = max(a.scale, b.scale)
        let l = Int128(a.units) * Int128(ExactDecimal.powersOfTen[s - a.scale])
        let r = Int128(b.units) * Int128(ExactDecimal.powersOfTen[s - b.scale])
        return l < r
    }
}

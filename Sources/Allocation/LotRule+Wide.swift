/// Priorities beyond 128 bits. A priority comparison is
/// `num_a · den_b · (2x_b + 1)` against `num_b · den_a · (2x_a + 1)`, where a
/// numerator is weight units times a multiplier (1, demand or history lots),
/// units below 2^63, a denominator at most 10^9 and a lot count `x` at most 2^62: the
/// products stay below 2^220, so 256 bits hold them exactly.
extension LotRule {
    /// True when every comparison of a SKU fits the 128-bit fast path: the
    /// numerator fits 64 bits and the products 128 bits, for the SKU's largest
    /// weight units, multiplier, denominator and lot count.
    static func fitsNarrow(maxUnits: UInt64, maxMultiplier: Int, maxDenominator: UInt64, maxLots: Int) -> Bool {
        func bits(_ v: UInt64) -> Int { UInt64.bitWidth - v.leadingZeroBitCount }
        let numerator = bits(maxUnits) + bits(UInt64(maxMultiplier))
        // 2x + 1 has one bit more than x.
        return numerator <= 64 && numerator + bits(maxDenominator) + bits(UInt64(maxLots)) + 1 <= 128
    }

    /// Chooses the 256-bit comparisons (`wide`) or the 128-bit ones for the
    /// SKU about to be allocated; set numerators after this.
    mutating func setWide(_ wide: Bool) {
        self.wide = wide
        if wide, wideNum.count != num.count { wideNum = Array(repeating: 1, count: num.count) }
    }

    /// Compares slot `a`'s priority holding `xa` with slot `b`'s holding `xb`
    /// exactly in 256 bits: 1 when `a`'s is larger, -1 when smaller, 0 when equal.
    /// Kept out of line so that the 128-bit path stays as small as it was.
    @inline(never)
    func compareWide(_ a: Int, _ xa: Int, _ b: Int, _ xb: Int) -> Int {
        let lhs = LotRule.product(wideNum[a], den[b], xb)
        let rhs = LotRule.product(wideNum[b], den[a], xa)
        return lhs == rhs ? 0 : lhs > rhs ? 1 : -1
    }

    /// `num · den · (2x + 1)`, exactly, as (high, low) 128-bit halves:
    /// `den · (2x + 1)` is below 2^30 · 2^64, so it fits 128 bits first.
    @inline(__always)
    static func product(_ num: UInt128, _ den: UInt64, _ x: Int) -> (high: UInt128, low: UInt128) {
        let odd = UInt64(truncatingIfNeeded: x) << 1 | 1
        return num.multipliedFullWidth(by: UInt128(den) * UInt128(odd))
    }
}

/// Sequential Sainte-Laguë (Webster) apportionment of whole lots, computed fast.
///
/// The sequential rule gives each next lot to the member with the largest
/// `w / (2x + 1)`, ties to the better tie key. Each member's priorities fall as
/// it receives lots, so the rule hands out exactly the `total` best entries of
/// the merged priority lists. We first find, in floating point, a level `λ`
/// whose entries above it certainly number at most `total`, give every member
/// one lot fewer than its floating-point count above `λ` (so every lot given
/// is certainly above `λ`, hence among the best `total`), then hand out the
/// remaining few lots one at a time from a heap with exact comparisons.
/// The result equals the one-lot-at-a-time rule exactly.
///
/// Comparisons are exact in 128 bits when the SKU's largest numerator,
/// denominator and lot count allow it (the usual case); otherwise (`wide`)
/// in 256 bits, see `LotRule+Wide.swift`.
struct LotRule {
    /// Per slot: weight numerator and denominator (`w = num / den`); the
    /// numerator is in `wideNum` instead when `wide`.
    var num: [UInt64]
    var den: [UInt64]
    /// Per slot: the numerator when `wide`.
    var wideNum: [UInt128] = []
    /// True when priorities need more than 128 bits to compare (set once per SKU by `setWide`).
    var wide = false
    /// Per slot: tie key (placed-at of the oldest eligible line); the slot itself breaks the last tie.
    var tieSeconds: [Int64]
    var tieNanos: [Int32]
    private var heap: [Int32] = []
    private var level: [Double]

    init(slots: Int) {
        num = Array(repeating: 1, count: slots)
        den = Array(repeating: 1, count: slots)
        tieSeconds = Array(repeating: 0, count: slots)
        tieNanos = Array(repeating: 0, count: slots)
        level = Array(repeating: 0, count: slots)
    }

    /// Sets slot `c`'s numerator to `units × multiplier`.
    @inline(__always)
    mutating func setNumerator(_ c: Int, units: UInt64, times multiplier: Int) {
        if wide {
            wideNum[c] = UInt128(units) * UInt128(multiplier)
        } else {
            num[c] = units * UInt64(multiplier)
        }
    }

    /// The weight `num / den` of slot `c`, roughly.
    @inline(__always)
    func approximateWeight(_ c: Int) -> Double {
        (wide ? Double(wideNum[c]) : Double(num[c])) / Double(den[c])
    }

    /// True when slot `a`'s next lot (holding `xa`) comes before slot `b`'s (holding `xb`).
    @inline(__always)
    func precedes(_ a: Int, _ xa: Int, _ b: Int, _ xb: Int) -> Bool {
        if wide {
            let order = compareWide(a, xa, b, xb)
            if order != 0 { return order > 0 }
        } else {
            let lhs = UInt128(num[a]) &* UInt128(den[b]) &* UInt128(2 * xb + 1)
            let rhs = UInt128(num[b]) &* UInt128(den[a]) &* UInt128(2 * xa + 1)
            if lhs != rhs { return lhs > rhs }
        }
        if tieSeconds[a] != tieSeconds[b] { return tieSeconds[a] < tieSeconds[b] }
        if tieNanos[a] != tieNanos[b] { return tieNanos[a] < tieNanos[b] }
        return a < b
    }

    /// Hands out up to `total` lots to `members`. Member `c` holds `held[c]`
    /// lots already and may take at most `cap[c]` more. Writes each member's
    /// new lots to `out[c]` (overwriting) and returns the number handed out.
    mutating func apportion(total: Int, members: [Int32], held: [Int], cap: [Int], out: inout [Int]) -> Int {
        var sumCap = 0
        for m in members { sumCap += cap[Int(m)] }
        if sumCap <= total {
            for m in members { out[Int(m)] = cap[Int(m)] }
            return sumCap
        }
        for m in members { out[Int(m)] = 0 }
        var remaining = total
        if remaining <= 0 { return 0 }
        if remaining > 2 * members.count + 32 {
            remaining -= waterLevel(total: total, members: members, held: held, cap: cap, out: &out)
        }
        // Exact phase: one lot at a time from a heap.
        heap.removeAll(keepingCapacity: true)
        for m in members where out[Int(m)] < cap[Int(m)] { heap.append(m) }
        func before(_ i: Int, _ j: Int) -> Bool {
            let a = Int(heap[i]), b = Int(heap[j])
            return precedes(a, held[a] + out[a], b, held[b] + out[b])
        }
        func siftDown(_ start: Int) {
            var i = start
            let n = heap.count
            while true {
                let l = 2 * i + 1
                if l >= n { return }
                var best = l
                if l + 1 < n, before(l + 1, l) { best = l + 1 }
                if !before(best, i) { return }
                heap.swapAt(i, best)
                i = best
            }
        }
        if heap.count > 1 { for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) } }
        while remaining > 0, !heap.isEmpty {
            let c = Int(heap[0])
            out[c] += 1
            remaining -= 1
            if out[c] == cap[c] {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            siftDown(0)
        }
        return total - remaining
    }

    /// Gives each member lots that certainly belong to the best `total`; returns how many.
    private mutating func waterLevel(total: Int, members: [Int32], held: [Int], cap: [Int], out: inout [Int]) -> Int {
        var lo = Double.greatestFiniteMagnitude, hi = 0.0
        var widest = 0
        for m in members {
            let c = Int(m)
            guard cap[c] > 0 else { continue }
            let w = approximateWeight(c)
            level[c] = w
            hi = max(hi, w / (2 * Double(held[c]) + 1))
            lo = min(lo, w / (2 * Double(held[c] + cap[c]) + 1))
            widest = max(widest, held[c] + cap[c])
        }
        lo *= 0.5
        hi *= 1.000001
        // A count `t` below is off by less than one lot while lot counts stay
        // below 2^44; beyond, by less than `widest / 2^50`: `slack` more
        // lots of margin cover that (0 in practice).
        let slack = Int(Double(widest) * 0x1p-44)
        // `t` rounded up counts a member's entries above λ, give or take one
        // lot of floating-point error (plus `slack`): `upper` adds that margin
        // to over-count, the final pass takes it off to give only lots that
        // are certainly above λ.
        let margin = 1 + slack
        let precision = min(1e-12, 0.5 / Double(widest))
        // Entries above λ, over-estimated by `margin` per member.
        func upper(_ lambda: Double) -> Int {
            var s = 0
            for m in members {
                let c = Int(m)
                let k = cap[c]
                guard k > 0 else { continue }
                let t = min((level[c] / lambda - 1) * 0.5 - Double(held[c]), Double(k) + 2)
                s += min(k, max(0, Int(t.rounded(.up)) + margin))
            }
            return s
        }
        // Invariant: upper(hi) <= total < upper(lo).
        for _ in 0..<100 {
            let mid = (lo * hi).squareRoot()
            guard mid > lo, mid < hi else { break }
            if upper(mid) <= total { hi = mid } else { lo = mid }
            if hi <= lo * (1 + precision) { break }
        }
        var given = 0
        for m in members {
            let c = Int(m)
            let k = cap[c]
            guard k > 0 else { continue }
            let t = min((level[c] / hi - 1) * 0.5 - Double(held[c]), Double(k) + 2)
            let n = min(k, max(0, Int(t.rounded(.up)) - margin))
            out[c] = n
            given += n
        }
        return given
    }
}

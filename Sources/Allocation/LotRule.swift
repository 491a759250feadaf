/// Sequential Sainte-Laguë (Webster) apportionment of whole lots, computed fast.
///
/// The sequential rule gives each next lot to the member with the largest
/// `w / (2x + 1)`, ties to the better tie key. Each member's priorities fall as
/// it receives lots, so the rule hands out exactly the `total` best entries of
/// the merged priority lists. We first find, in floating point, a level `λ`
/// whose entries above it certainly number at most `total`, give every member
/// one lot fewer than its floating-point count above `λ` (so every lot given
/// is certainly above `λ`, hence among the best `total`), then hand out the
/// remaining few lots one at a time from a heap with exact 128-bit comparisons.
/// The result equals the one-lot-at-a-time rule exactly.
struct LotRule {
    /// Per slot: weight numerator and denominator (`w = num / den`).
    var num: [UInt64]
    var den: [UInt64]
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

    /// True when slot `a`'s next lot (holding `xa`) comes before slot `b`'s (holding `xb`).
    @inline(__always)
    func precedes(_ a: Int, _ xa: Int, _ b: Int, _ xb: Int) -> Bool {
        let lhs = UInt128(num[a]) &* UInt128(den[b]) &* UInt128(2 * xb + 1)
        let rhs = UInt128(num[b]) &* UInt128(den[a]) &* UInt128(2 * xa + 1)
        if lhs != rhs { return lhs > rhs }
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
        for m in members {
            let c = Int(m)
            guard cap[c] > 0 else { continue }
            let w = Double(num[c]) / Double(den[c])
            level[c] = w
            hi = max(hi, w / Double(2 * held[c] + 1))
            lo = min(lo, w / Double(2 * (held[c] + cap[c]) + 1))
        }
        lo *= 0.5
        hi *= 1.000001
        // count above λ, over-estimated by one per member.
        func upper(_ lambda: Double) -> Int {
            var s = 0
            for m in members {
                let c = Int(m)
                let k = cap[c]
                guard k > 0 else { continue }
                let t = min((level[c] / lambda - 1) * 0.5 - Double(held[c]), Double(k) + 2)
                s += min(k, max(0, Int(t.rounded(.up)) + 1))
            }
            return s
        }
        // Invariant: upper(hi) <= total < upper(lo).
        for _ in 0..<64 {
            let mid = (lo * hi).squareRoot()
            guard mid > lo, mid < hi else { break }
            if upper(mid) <= total { hi = mid } else { lo = mid }
            if hi <= lo * (1 + 1e-12) { break }
        }
        var given = 0
        for m in members {
            let c = Int(m)
            let k = cap[c]
            guard k > 0 else { continue }
            let t = min((level[c] / hi - 1) * 0.5 - Double(held[c]), Double(k) + 2)
            let n = min(k, max(0, Int(t.rounded(.up)) - 1))
            out[c] = n
            given += n
        }
        return given
    }
}

import Allocation
import Values

/// The reference's lot rule: lots one at a time, each to the member with the
/// largest `weight / (2 × lots held + 1)`, ties to the earlier tie key, then
/// the smaller customer id. Exact at any size: fractions compare in 256 bits.
struct ReferenceLotRule {
    var weight: [String: Fraction]
    var tie: [String: Timestamp]

    /// Totals up to this many lots are handed out literally, one at a time.
    static let literalLimit = 2_000

    /// True when member `c`'s lot at `xc` lots held comes before member `b`'s at `xb`.
    func precedes(_ c: String, _ xc: Int, _ b: String, _ xb: Int) -> Bool {
        let pc = weight[c]!.over(xc), pb = weight[b]!.over(xb)
        return pc > pb || (pc == pb && (tie[c]! < tie[b]! || (tie[c]! == tie[b]! && bytesLess(c, b))))
    }

    /// Up to `total` lots for `members`, member `c` holding `start[c]` and taking at most `cap[c]`.
    func apportion(_ total: Int, _ members: [String], cap: [String: Int], start: [String: Int]) -> [String: Int] {
        total <= Self.literalLimit
            ? oneAtATime(total, members, cap: cap, start: start)
            : byRank(total, members, cap: cap, start: start)
    }

    /// The rule as the spec words it: one lot at a time, a linear scan for the best.
    func oneAtATime(_ total: Int, _ members: [String], cap: [String: Int], start: [String: Int]) -> [String: Int] {
        var got: [String: Int] = [:]
        for _ in 0..<max(0, total) {
            var best: String?
            for c in members where got[c, default: 0] < cap[c, default: 0] {
                guard let b = best else { best = c; continue }
                if precedes(c, start[c, default: 0] + got[c, default: 0], b, start[b, default: 0] + got[b, default: 0]) { best = c }
            }
            guard let winner = best else { break }
            got[winner, default: 0] += 1
        }
        return got
    }

    /// The same lots for any total, without handing them out one by one: the
    /// rule hands out the `total` lots that come first in the order of
    /// `precedes` (each member's own lots come in order, as its priority falls
    /// with every lot), so a member gets its lots whose rank (how many lots of
    /// all members come before) is below `total`. Ranks are found by binary
    /// search, since each member's lots come in order.
    func byRank(_ total: Int, _ members: [String], cap: [String: Int], start: [String: Int]) -> [String: Int] {
        // Members with room, as arrays (this is the reference's only hot loop).
        let room = members.filter { cap[$0, default: 0] > 0 }.sorted(by: bytesLess)
        let capOf = room.map { cap[$0]! }, startOf = room.map { start[$0, default: 0] }
        let weightOf = room.map { weight[$0]! }, tieOf = room.map { tie[$0]! }
        let wanted = min(max(0, total), capOf.reduce(0, +))
        /// True when member `a`'s lot at `xa` held comes before member `b`'s at `xb` (`precedes` by position).
        func first(_ a: Int, _ xa: Int, _ b: Int, _ xb: Int) -> Bool {
            let pa = weightOf[a].over(xa), pb = weightOf[b].over(xb)
            return pa > pb || (pa == pb && (tieOf[a] < tieOf[b] || (tieOf[a] == tieOf[b] && a < b)))
        }
        /// How many of member `a`'s lots come before member `b`'s lot at `xb` held.
        func before(_ a: Int, _ b: Int, _ xb: Int) -> Int {
            var low = 0, high = capOf[a]
            while low < high {
                let mid = low + (high - low) / 2
                if first(a, startOf[a] + mid, b, xb) { low = mid + 1 } else { high = mid }
            }
            return low
        }
        /// How many lots of all members come before member `b`'s `i`-th.
        func rank(_ b: Int, _ i: Int) -> Int {
            room.indices.reduce(i) { sum, a in a == b ? sum : sum + before(a, b, startOf[b] + i) }
        }
        var got: [String: Int] = [:]
        for b in room.indices {
            var low = 0, high = capOf[b]
            while low < high {
                let mid = low + (high - low) / 2
                if rank(b, mid) < wanted { low = mid + 1 } else { high = mid }
            }
            if low > 0 { got[room[b]] = low }
        }
        return got
    }
}

/// A non-negative exact fraction; comparisons cross-multiply in 256 bits.
struct Fraction: Comparable {
    var num: UInt128
    var den: UInt128
    init(_ d: ExactDecimal) { num = UInt128(d.units); den = UInt128(d.denominator) }
    init(num: UInt128, den: UInt128) { self.num = num; self.den = den }
    func times(_ n: Int) -> Fraction { Fraction(num: num * UInt128(n), den: den) }
    /// `self / (2x + 1)`.
    func over(_ x: Int) -> Fraction { Fraction(num: num, den: den * (2 * UInt128(x) + 1)) }
    static func < (a: Fraction, b: Fraction) -> Bool {
        let l = a.num.multipliedFullWidth(by: b.den), r = b.num.multipliedFullWidth(by: a.den)
        return (l.high, l.low) < (r.high, r.low)
    }
    static func == (a: Fraction, b: Fraction) -> Bool {
        let l = a.num.multipliedFullWidth(by: b.den), r = b.num.multipliedFullWidth(by: a.den)
        return (l.high, l.low) == (r.high, r.low)
    }
}

/// "Did you mean TRN3?": the known name nearest to an unknown one.
public enum Suggestion {
    /// The known name within a small edit distance of `name` (ignoring
    /// case), the nearest one, or `nil` when none is near.
    ///
    /// Distance is Levenshtein's (inserting, deleting or changing one
    /// character costs 1), computed only within the allowed band, so
    /// checking a name against many thousands of known ones stays cheap.
    public static func nearest(to name: String, among known: some Sequence<String>) -> String? {
        let target = Array(name.lowercased().unicodeScalars)
        guard !target.isEmpty, target.count <= 64 else { return nil }
        // One typo in short names, up to three in long ones.
        let allowed = min(3, max(1, target.count / 3))
        var best: (distance: Int, name: String)?
        for candidate in known {
            let scalars = Array(candidate.lowercased().unicodeScalars)
            let limit = min(allowed, (best?.distance ?? allowed + 1) - 1)
            guard limit >= 0, abs(scalars.count - target.count) <= limit else {
                if let found = best, found.distance == 0 { break }
                continue
            }
            if let distance = distance(target, scalars, limit: limit) {
                if best == nil || distance < best!.distance || (distance == best!.distance && candidate < best!.name) {
                    best = (distance, candidate)
                }
            }
        }
        return best.flatMap { $0.name == name ? nil : $0.name }
    }

    /// ` (did you mean TRN3?)`, or nothing.
    public static func hint(for name: String, among known: some Sequence<String>) -> String {
        nearest(to: name, among: known).map { " (did you mean \($0)?)" } ?? ""
    }

    /// The edit distance when it is at most `limit`, else `nil`.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int? {
        let big = limit + 1
        var previous = Array(0...b.count).map { min($0, big) }
        var current = Array(repeating: big, count: b.count + 1)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = min(i, big)
            var rowBest = current[0]
            let from = max(1, i - limit), to = min(b.count, i + limit)
            if from > 1 { current[from - 1] = big }
            if from <= to {
                for j in from...to {
                    let change = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                    current[j] = min(big, change, previous[j] + 1, current[j - 1] + 1)
                    rowBest = min(rowBest, current[j])
                }
            }
            if to < b.count { current[to + 1] = big }
            guard rowBest <= limit else { return nil }
            swap(&previous, &current)
        }
        let result = previous[b.count]
        return result <= limit ? result : nil
    }
}

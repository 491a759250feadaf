extension Int {
    /// The number with thousands separated by commas: `1234567` is `1,234,567`,
    /// `-1234` is `-1,234` (every count a command prints on a line for people).
    var grouped: String {
        let digits = String(magnitude)
        var out = self < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}

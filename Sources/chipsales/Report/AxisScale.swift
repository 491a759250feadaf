/// A value axis from zero with round ticks: steps of 1, 2, 2.5 or 5 times a
/// power of ten, four to six of them, the top tick at or above the largest
/// value (`0, 10,000, 20,000, 30,000, 40,000` for 31,536 chips).
struct AxisScale: Equatable {
    /// The distance between ticks (whole chips: at least 1).
    let step: Int
    /// The last tick, where the axis ends.
    let top: Double

    init(maximum: Double) {
        let largest = max(1, maximum.isFinite ? maximum : 1)
        var power = 1
        while Double(power) * 10 <= largest / 4 { power *= 10 }
        // The smallest round step that reaches the largest value in at most five steps.
        var chosen = power * 10
        for multiple in [1.0, 2.0, 2.5, 5.0, 10.0] {
            let candidate = Int(Double(power) * multiple)
            if candidate > 0, Double(candidate) * 5 >= largest {
                chosen = candidate
                break
            }
        }
        step = chosen
        top = (largest / Double(chosen)).rounded(.up) * Double(chosen)
    }

    /// Every tick from 0 to `top`.
    var ticks: [Double] {
        stride(from: 0.0, through: top, by: Double(step)).map { $0 }
    }

    func label(_ tick: Double) -> String { Int(tick.rounded()).grouped }
}

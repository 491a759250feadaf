import Values

/// How a run shares scarce lots (the scenario's `policy` object).
public struct Policy: Hashable, Sendable {
    /// The rationing method used inside a tier.
    public enum Method: String, Hashable, Sendable, CaseIterable {
        /// Weighted uniform rule (max-min fairness): `w = weight`. The default.
        case fair
        /// Sainte-Laguë on eligible demand: `w = weight * D`. Rewards inflated orders.
        case proportional
        /// Rewards past shipments: `w = weight * max(1, H)`.
        case turnAndEarn = "turn-and-earn"
    }

    public var method: Method
    /// Share of each week's lots reserved for internal buyers (0...1, exact).
    public var internalFloorShare: ExactDecimal
    /// Weeks of history counted by `turn-and-earn` (before the horizon's first week).
    public var historyPeriods: Int

    public init(method: Method = .fair, internalFloorShare: ExactDecimal = .zero, historyPeriods: Int = 13) {
        self.method = method
        self.internalFloorShare = internalFloorShare
        self.historyPeriods = historyPeriods
    }
}

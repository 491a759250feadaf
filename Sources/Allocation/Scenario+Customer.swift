import Values

extension Scenario {
    /// A buyer competing for supply, as the engine sees it (the domain's
    /// customer record is `Domain.Customer`).
    public struct Customer: Hashable, Sendable {
        public var id: String
        /// Internal buyers share the policy's floor.
        public var isInternal: Bool
        /// Priority tier; 1 is served first.
        public var tier: Int
        /// Relative weight (> 0), exact.
        public var weight: ExactDecimal
        /// On hold: excluded from allocation; its lines are reported as held backlog.
        public var hold: Bool
        /// Contract minimum per week, chips, by SKU.
        public var minimumPerPeriod: [String: Int]
        /// Cap per week, chips, by SKU.
        public var maximumPerPeriod: [String: Int]

        public init(id: String, isInternal: Bool = false, tier: Int = 1, weight: ExactDecimal = .one, hold: Bool = false,
                    minimumPerPeriod: [String: Int] = [:], maximumPerPeriod: [String: Int] = [:]) {
            self.id = id
            self.isInternal = isInternal
            self.tier = tier
            self.weight = weight
            self.hold = hold
            self.minimumPerPeriod = minimumPerPeriod
            self.maximumPerPeriod = maximumPerPeriod
        }
    }
}

extension Customer {
    /// True when the allocator leaves the customer out: not export-cleared,
    /// or on credit hold (the rule `PlanInput` reads in SQL).
    public var isHeld: Bool { holdReason != nil }

    /// Why the customer is held, in words; `nil` when it is not.
    public var holdReason: String? { Self.holdReason(compliance: compliance, creditHold: creditHold) }

    /// Why a customer with this compliance status and credit hold is held
    /// (`export compliance pending`, `credit hold`, or both joined by
    /// `and`); `nil` when it is not. The one wording of hold reasons, for
    /// run summaries and explanations.
    public static func holdReason(compliance: ComplianceStatus, creditHold: Bool) -> String? {
        var reasons: [String] = []
        if compliance != .cleared { reasons.append("export compliance \(compliance.rawValue)") }
        if creditHold { reasons.append("credit hold") }
        return reasons.isEmpty ? nil : reasons.joined(separator: " and ")
    }
}

import Foundation

extension Customer {
    /// A customer as the database holds it, taken as it is. The database's
    /// constraints checked the row when it was written; the entry rules
    /// (`init(id:name:…)`) are for what a person enters and may be stricter
    /// or newer than the row (a name with a control character, stored before
    /// the text rules or by SQL). A stored row must never stop a listing or a
    /// run: output shows such text safely (`TextRules.printable`).
    public init(
        storedID id: String, name: String, country: String, isInternal: Bool, tier: Int, weight: Decimal,
        compliance: ComplianceStatus, creditHold: Bool
    ) {
        self.id = id
        self.name = name
        self.country = country
        self.isInternal = isInternal
        self.tier = tier
        self.weight = weight
        self.compliance = compliance
        self.creditHold = creditHold
    }
}

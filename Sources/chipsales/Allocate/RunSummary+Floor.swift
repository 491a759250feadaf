import Foundation
import Values

extension RunSummary {
    /// Why the internal buyers hold more than their floor share of the
    /// allocated chips, in one sentence; `nil` when they do not.
    ///
    /// The floor is a minimum. Above it the internal buyers share what is
    /// left like any buyer of their tier, so they end up above it when the
    /// outside buyers that could be served were served in full, when those
    /// still short were held back by their contract maximums, or by their
    /// share of the tier.
    var floorNote: String? {
        let floor = input.policy.internalFloor
        let total = headline.figures
        guard total.allocated > 0, total.internalChips > 0,
              Decimal(total.internalChips) > floor * Decimal(total.allocated) else { return nil }
        let lead = "Internal buyers got \(Percent(total.internalChips, of: total.allocated).text) of the allocated chips, "
            + "above their \(Percent.text(share: floor)) floor"
        let rationed = rationedOutsideBuyers
        if rationed.isEmpty {
            let held = customers.contains { !$0.isInternal && $0.held }
            return lead + ", because outside demand was met in full" + (held ? " (buyers on hold excepted)." : ".")
        }
        let capped = rationed.filter(\.value)
        if capped.count == rationed.count {
            return lead + ", because the outside buyers still short were capped by their contract maximums ("
                + capped.keys.sorted().joined(separator: ", ") + ")."
        }
        let insiders = customers.filter(\.isInternal)
        let tiers = Set(insiders.map(\.tier)).sorted().map(String.init).joined(separator: ", ")
        let served = insiders.allSatisfy { $0.allocated >= $0.demand } ? ", and got all they asked for" : ""
        return lead + ": beyond the floor they compete for what is left in tier \(tiers), by weight, like outside buyers\(served)."
    }

    /// Outside buyers, not on hold, that got less than they could take in
    /// some week, each with whether every such week was at its contract
    /// maximum for the SKU.
    var rationedOutsideBuyers: [String: Bool] {
        let byID = Dictionary(uniqueKeysWithValues: input.scenario.customers.map { ($0.id, $0) })
        let lotSizes = Dictionary(uniqueKeysWithValues: input.scenario.products.map { ($0.sku, $0.lotSize) })
        var capped: [String: Bool] = [:]
        for row in result.customers where !row.held && row.allocated - row.fixed < row.demand {
            guard let customer = byID[row.customer], !customer.isInternal else { continue }
            let lot = max(1, lotSizes[row.sku] ?? 1)
            let atCap = customer.maximumPerPeriod[row.sku].map { row.allocated >= $0 / lot * lot } ?? false
            capped[row.customer] = (capped[row.customer] ?? true) && atCap
        }
        return capped
    }
}

import Allocation
import Values

/// A one-SKU, one-week scenario: `supplyLots` lots of size 1, one line per customer.
func oneWeek(supplyLots: Int, demands: [(id: String, lots: Int, weight: String)], method: Policy.Method = .fair,
             lotSize: Int = 1) -> Scenario {
    let week = Period(year: 2026, week: 49)!
    var s = Scenario(policy: Policy(method: method))
    s.products = [Scenario.Product(sku: "TRN3", lotSize: lotSize)]
    s.supply = [SupplyRow(sku: "TRN3", period: week, quantity: supplyLots * lotSize)]
    for (n, d) in demands.enumerated() {
        s.customers.append(Scenario.Customer(id: d.id, weight: ExactDecimal(d.weight)!))
        s.orders.append(Scenario.Line(id: "L-\(d.id)", customer: d.id, sku: "TRN3", quantity: d.lots * lotSize, requestedPeriod: week,
                                  placedAt: Timestamp(seconds: 1_790_000_000 + Int64(n))))
    }
    return s
}

/// Lots per customer in the first week.
func lots(_ r: AllocationResult, lotSize: Int = 1) -> [String: Int] {
    var out: [String: Int] = [:]
    for c in r.customers { out[c.customer] = c.allocated / lotSize }
    return out
}

import Allocation
import Foundation
import Store

/// What `allocate run` prints: stock flow per SKU and week, internal vs
/// outside share, per-customer fill rates, and the change from the previous plan.
struct RunSummary {
    let runID: Int?
    let previousRunID: Int?
    let input: PlanInput
    let result: AllocationResult
    let changes: [PlanChange]
    let computeMilliseconds: Int
    let trimmed: Int

    struct CustomerLine {
        let id: String
        let isInternal: Bool
        let held: Bool
        let demand: Int
        let allocated: Int
    }

    /// Per customer: open demand (fixed lots included) and chips allocated, computed once.
    let customers: [CustomerLine]

    init(runID: Int?, previousRunID: Int?, input: PlanInput, result: AllocationResult, changes: [PlanChange],
         computeMilliseconds: Int, trimmed: Int, customers: [CustomerLine]) {
        self.runID = runID
        self.previousRunID = previousRunID
        self.input = input
        self.result = result
        self.changes = changes
        self.computeMilliseconds = computeMilliseconds
        self.trimmed = trimmed
        self.customers = customers
    }

    /// Demand from the scenario's lines and fixed lots; allocated from the
    /// result's explanation rows (one per customer, SKU and week).
    static func customers(_ input: PlanInput, _ result: AllocationResult) -> [CustomerLine] {
        let demand = input.openChipsByCustomer()
        var allocated: [String: Int] = [:]
        for row in result.customers { allocated[row.customer, default: 0] += row.allocated }
        return input.scenario.customers
            .filter { demand[$0.id, default: 0] > 0 || allocated[$0.id, default: 0] > 0 }
            .map { CustomerLine(id: $0.id, isInternal: $0.isInternal, held: $0.hold, demand: demand[$0.id] ?? 0, allocated: allocated[$0.id] ?? 0) }
            .sorted { ($0.isInternal ? 0 : 1, $0.id) < ($1.isInternal ? 0 : 1, $1.id) }
    }

    /// Internal chips per SKU and week.
    var internalChips: [String: [Period: Int]] {
        let insiders = Set(input.scenario.customers.filter(\.isInternal).map(\.id))
        var chips: [String: [Period: Int]] = [:]
        for row in result.customers where insiders.contains(row.customer) {
            chips[row.sku, default: [:]][row.period, default: 0] += row.allocated
        }
        return chips
    }

    /// `allocated / total` as a percentage with one decimal, computed in integers.
    static func percent(_ part: Int, of total: Int) -> String {
        guard total > 0 else { return "-" }
        let tenths = (part * 1000 + total / 2) / total
        return "\(tenths / 10).\(tenths % 10)%"
    }

    var periodListing: Listing {
        var listing = Listing(columns: ["sku", "week", "available", "allocated", "carry", "internal", "outside", "internal_share"])
        let byWeek = internalChips
        for p in result.periods {
            let inside = byWeek[p.sku]?[p.period] ?? 0
            listing.append([
                .text(p.sku), .text(p.period.description), .int(p.available), .int(p.allocated), .int(p.carry),
                .int(inside), .int(p.allocated - inside), .text(Self.percent(inside, of: p.allocated)),
            ])
        }
        return listing
    }

    var customerListing: Listing {
        var listing = Listing(columns: ["customer", "internal", "held", "demand", "allocated", "fill_rate"])
        for c in customers {
            listing.append([
                .text(c.id), .bool(c.isInternal), .bool(c.held), .int(c.demand), .int(c.allocated),
                .text(Self.percent(c.allocated, of: c.demand)),
            ])
        }
        return listing
    }

    var changeListing: Listing {
        var listing = Listing(columns: ["customer", "before", "after", "change"])
        for c in changes {
            listing.append([.text(c.customer), .int(c.before), .int(c.after), .text(c.change > 0 ? "+\(c.change)" : String(c.change))])
        }
        return listing
    }

    var headline: [(String, String)] {
        let customers = self.customers
        let demand = customers.reduce(0) { $0 + $1.demand }
        let allocated = customers.reduce(0) { $0 + $1.allocated }
        let internalAllocated = customers.filter(\.isInternal).reduce(0) { $0 + $1.allocated }
        let supply = input.scenario.supply.reduce(0) { $0 + $1.quantity } + input.scenario.products.reduce(0) { $0 + $1.onHand }
        let backlog = result.backlog.reduce(0) { $0 + $1.quantity }
        let heldBacklog = result.backlog.filter(\.held).reduce(0) { $0 + $1.quantity }
        return [
            ("supply (incl. on hand)", String(supply)),
            ("open demand", String(demand)),
            ("allocated", "\(allocated) (\(Self.percent(allocated, of: supply)) of supply, \(Self.percent(allocated, of: demand)) of demand)"),
            ("internal share of allocated", Self.percent(internalAllocated, of: allocated)),
            ("backlog", "\(backlog) (\(heldBacklog) held)"),
            ("unallocated stock after the horizon", String(result.unallocated.reduce(0) { $0 + $1.quantity })),
        ]
    }

    func render(_ format: OutputFormat, dryRun: Bool) -> String {
        let policy = input.policy
        switch format {
        case .json:
            var fields: [(String, JSONValue)] = [
                ("run", runID.map(JSONValue.int) ?? .null), ("dry_run", .bool(dryRun)),
                ("as_of", .string(input.asOf.description)),
                ("policy", .object([
                    ("method", .string(policy.method.rawValue)), ("internal_floor", .decimal(policy.internalFloor)),
                    ("frozen_weeks", .int(policy.frozenWeeks)), ("history_weeks", .int(policy.historyWeeks)),
                ])),
                ("open_lines", .int(input.scenario.orders.count)), ("compute_ms", .int(computeMilliseconds)),
                ("trimmed", .int(trimmed)),
                ("previous_run", previousRunID.map(JSONValue.int) ?? .null),
            ]
            fields.append(("headline", .object(headline.map { ($0.0.replacingOccurrences(of: " ", with: "_"), .string($0.1)) })))
            fields.append(("periods", .array(periodListing.jsonObjects)))
            fields.append(("customers", .array(customerListing.jsonObjects)))
            fields.append(("changes", .array(changeListing.jsonObjects)))
            return JSONValue.object(fields).render()
        case .table, .csv:
            var text = dryRun
                ? "Dry run as of \(input.asOf) (nothing stored)"
                : "Allocation run \(runID.map(String.init) ?? "?") as of \(input.asOf), now the current plan"
            text += "\npolicy: \(policy.method.rawValue), internal floor \(policy.internalFloor), \(policy.frozenWeeks) frozen weeks, \(policy.historyWeeks) history weeks"
            text += "\ninput: \(input.scenario.orders.count) open lines, \(input.scenario.customers.count) customers, \(input.scenario.products.count) SKUs, \(input.scenario.fixed.count) frozen allocations; engine \(computeMilliseconds) ms"
            if trimmed > 0 { text += "\ntrimmed at commit: \(trimmed) chips of lines cancelled or reduced during the run" }
            text += "\n\n" + headline.map { "\($0.0): \($0.1)" }.joined(separator: "\n")
            text += "\n\nPer SKU and week (chips)\n" + periodListing.render(.table)
            text += "\n\nPer customer (chips, all weeks)\n" + customerListing.render(.table)
            if let previousRunID {
                text += "\n\nChange from the previous plan (run \(previousRunID))\n"
                text += changes.isEmpty ? "no customer gained or lost chips" : changeListing.render(.table)
            } else {
                text += "\n\nNo previous plan to compare with."
            }
            return text
        }
    }
}

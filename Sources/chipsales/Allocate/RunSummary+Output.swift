import Allocation
import ArgumentParser
import Foundation
import Store

/// `--format` of `allocate run`: a planner's table or one JSON document.
/// (CSV cannot hold the summary's several tables; it is refused when the
/// arguments are parsed, before anything is stored.)
enum RunFormat: String, CaseIterable, ExpressibleByArgument {
    case table, json
}

extension RunSummary {
    func render(_ format: RunFormat, dryRun: Bool) -> String {
        switch format {
        case .json: json(dryRun: dryRun).render()
        case .table: table(dryRun: dryRun)
        }
    }

    // MARK: JSON: snake_case keys; chips and percentages as numbers; exact decimals as strings.

    func json(dryRun: Bool) -> JSONOutput {
        let policy = input.policy
        let policyFields: [(String, JSONOutput)] = [
            ("method", .string(policy.method.rawValue)), ("internal_floor", .decimal(policy.internalFloor)),
            ("frozen_weeks", .int(policy.frozenWeeks)), ("history_weeks", .int(policy.historyWeeks)),
        ]
        let inputFields: [(String, JSONOutput)] = [
            ("open_lines", .int(input.scenario.orders.count)), ("customers", .int(input.scenario.customers.count)),
            ("skus", .int(input.scenario.products.count)), ("frozen_allocations", .int(input.scenario.fixed.count)),
        ]
        let fields: [(String, JSONOutput)] = [
            ("run", runID.map(JSONOutput.int) ?? .null), ("dry_run", .bool(dryRun)),
            ("as_of", .string(input.asOf.description)), ("previous_run", previousRunID.map(JSONOutput.int) ?? .null),
            ("policy", .object(policyFields)), ("input", .object(inputFields)),
            ("compute_ms", .int(computeMilliseconds)), ("trimmed", .int(trimmed)),
            ("headline", headlineJSON), ("internal_floor_note", floorNote.map(JSONOutput.string) ?? .null),
            ("skus", .array(skus.map(Self.json))), ("periods", .array(periodsJSON)),
            ("customers", .array(customers.map(Self.json))), ("changes", .array(changes.map(Self.json))),
            ("released", .array(released.map(Self.json))),
        ]
        return .object(fields)
    }

    var headlineJSON: JSONOutput {
        .object(Self.fields(headline.figures) + [
            ("held_backlog", .int(headline.heldBacklog)), ("released_chips", .int(headline.releasedChips)),
            ("allocated_percent_of_available", Percent(headline.figures.allocated, of: headline.figures.available).json),
        ])
    }

    static func json(_ s: SKULine) -> JSONOutput {
        .object([("sku", .string(s.sku))] + fields(s.figures))
    }

    /// The figures of a SKU or of the whole run, as JSON fields.
    static func fields(_ f: Figures) -> [(String, JSONOutput)] {
        [
            ("supply", .int(f.supply)), ("on_hand", .int(f.onHand)), ("available", .int(f.available)),
            ("demand", .int(f.demand)), ("allocated", .int(f.allocated)), ("internal", .int(f.internalChips)),
            ("outside", .int(f.outsideChips)), ("internal_share_percent", Percent(f.internalChips, of: f.allocated).json),
            ("fill_rate_percent", Percent(f.allocated, of: f.demand).json),
            ("backlog", .int(f.backlog)), ("unallocated", .int(f.unallocated)),
        ]
    }

    var periodsJSON: [JSONOutput] {
        let byWeek = internalChipsByWeek
        return result.periods.map { (p: AllocationResult.PeriodSummary) -> JSONOutput in
            let inside = byWeek[p.sku]?[p.period] ?? 0
            let fields: [(String, JSONOutput)] = [
                ("sku", .string(p.sku)), ("week", .string(p.period.description)), ("available", .int(p.available)),
                ("allocated", .int(p.allocated)), ("carry", .int(p.carry)), ("internal", .int(inside)),
                ("outside", .int(p.allocated - inside)), ("internal_share_percent", Percent(inside, of: p.allocated).json),
            ]
            return .object(fields)
        }
    }

    static func json(_ c: CustomerLine) -> JSONOutput {
        let fields: [(String, JSONOutput)] = [
            ("customer", .string(c.id)), ("internal", .bool(c.isInternal)), ("held", .bool(c.held)),
            ("hold_reason", c.holdReason.map(JSONOutput.string) ?? .null), ("demand", .int(c.demand)),
            ("allocated", .int(c.allocated)), ("fill_rate_percent", c.fillRate.json),
        ]
        return .object(fields)
    }

    static func json(_ c: PlanChange) -> JSONOutput {
        let fields: [(String, JSONOutput)] = [
            ("customer", .string(c.customer)), ("before", .int(c.before)), ("after", .int(c.after)), ("change", .int(c.change)),
            ("released", .int(c.released)),
        ]
        return .object(fields)
    }

    static func json(_ r: Release) -> JSONOutput {
        let fields: [(String, JSONOutput)] = [
            ("order", .int(r.order)), ("line", .int(r.line)), ("customer", .string(r.customer)), ("sku", .string(r.sku)),
            ("week", .string(r.week.description)), ("quantity", .int(r.quantity)),
        ]
        return .object(fields)
    }

    // MARK: Table, for planners.

    func table(dryRun: Bool) -> String {
        let policy = input.policy
        var text = dryRun
            ? "Dry run as of \(input.asOf) (nothing stored)"
            : "Allocation run \(runID.map(String.init) ?? "?") as of \(input.asOf), now the current plan"
        text += "\npolicy: \(policy.method.rawValue), internal floor \(policy.internalFloor), \(policy.frozenWeeks) frozen weeks, \(policy.historyWeeks) history weeks"
        text += "\ninput: \(input.scenario.orders.count) open lines, \(input.scenario.customers.count) customers, \(input.scenario.products.count) SKUs, \(input.scenario.fixed.count) frozen allocations; engine \(computeMilliseconds) ms"
        if trimmed > 0 { text += "\ntrimmed at commit: \(trimmed) chips of lines cancelled or reduced during the run" }
        let h = headline.figures
        text += "\n\n" + [
            "available (supply + on hand): \(h.available) (\(h.supply) supply + \(h.onHand) on hand)",
            "open demand: \(h.demand)",
            "allocated: \(h.allocated) (\(Percent(h.allocated, of: h.available).text) of available, \(Percent(h.allocated, of: h.demand).text) of demand)",
            "internal share of allocated: \(Percent(h.internalChips, of: h.allocated).text) (floor \(Percent.text(share: policy.internalFloor)))",
            "backlog: \(h.backlog) (\(headline.heldBacklog) held)",
            "unallocated stock after the horizon: \(h.unallocated)",
            "released from frozen lots: \(headline.releasedChips)",
        ].joined(separator: "\n")
        if let floorNote { text += "\n\n" + floorNote }
        if !released.isEmpty {
            text += "\n\nReleased (\(headline.releasedChips) frozen chips given back)\n"
            text += "These lines lost frozen chips because supply or stock fell below the frozen lots; "
                + "the chips are open on their lines again, for later weeks or the backlog.\n"
            text += Release.listing(released).render(.table)
        }
        text += "\n\nPer SKU (chips)\n" + skuListing.render(.table)
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

    var skuListing: Listing {
        var listing = Listing(columns: [
            "sku", "supply", "on_hand", "demand", "allocated", "internal", "outside", "internal_share", "fill_rate", "backlog", "unallocated",
        ])
        for line in skus {
            let f = line.figures
            listing.append([
                .text(line.sku), .int(f.supply), .int(f.onHand), .int(f.demand), .int(f.allocated), .int(f.internalChips),
                .int(f.outsideChips), .number(Percent(f.internalChips, of: f.allocated).text),
                .number(Percent(f.allocated, of: f.demand).text), .int(f.backlog), .int(f.unallocated),
            ])
        }
        return listing
    }

    var periodListing: Listing {
        var listing = Listing(columns: ["sku", "week", "available", "allocated", "carry", "internal", "outside", "internal_share"])
        let byWeek = internalChipsByWeek
        for p in result.periods {
            let inside = byWeek[p.sku]?[p.period] ?? 0
            listing.append([
                .text(p.sku), .text(p.period.description), .int(p.available), .int(p.allocated), .int(p.carry),
                .int(inside), .int(p.allocated - inside), .number(Percent(inside, of: p.allocated).text),
            ])
        }
        return listing
    }

    var customerListing: Listing {
        var listing = Listing(columns: ["customer", "internal", "held", "demand", "allocated", "fill_rate"])
        for c in customers {
            listing.append([
                .text(c.id), .bool(c.isInternal), .text(c.holdReason ?? "no"), .int(c.demand), .int(c.allocated),
                .number(c.fillRate.text),
            ])
        }
        return listing
    }

    var changeListing: Listing {
        var listing = Listing(columns: ["customer", "before", "after", "change", "released"])
        for c in changes {
            listing.append([
                .text(c.customer), .int(c.before), .int(c.after), .number(c.change > 0 ? "+\(c.change)" : String(c.change)), .int(c.released),
            ])
        }
        return listing
    }
}

import ArgumentParser
import Store

extension AllocateCommand {
    /// `chipsales allocate explain`
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show, per line and week, what an order's customer demanded, was guaranteed and got, and why.",
            discussion: "Example:\n  chipsales allocate explain 42")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Order id.") var order: Int

        func run() throws {
            let explanation = try RunStore(try database.connect()).explain(order: order)
            var listing = Listing(columns: [
                "line", "sku", "week", "line_allocated", "customer_demand", "fixed", "guaranteed", "customer_allocated",
                "tier", "weight", "held", "available", "carry", "why",
            ])
            for r in explanation.rows {
                listing.append([
                    .int(r.line), .text(r.sku), .text(r.week), .int(r.lineAllocated), .int(r.demand), .int(r.fixed),
                    .int(r.guaranteed), .int(r.allocated), .int(r.tier), .decimal(r.weight), .bool(r.held), .int(r.available),
                    .int(r.carry), .text(r.reasons.joined(separator: "; ")),
                ])
            }
            switch output.format {
            case .json:
                StandardOutput.line(JSONOutput.object([
                    ("order", .int(explanation.orderID)), ("customer", .string(explanation.customer)),
                    ("run", .int(explanation.runID)), ("as_of", .string(explanation.asOf)),
                    ("lines", .array(explanation.lines.map(Self.json))), ("weeks", .array(listing.jsonObjects)),
                ]).render())
            case .csv:
                StandardOutput.line(listing.render(.csv))
            case .table:
                var lines = Listing(columns: ["line", "sku", "requested", "open", "planned", "unplanned", "released"])
                for l in explanation.lines {
                    lines.append([
                        .int(l.line), .text(l.sku), .text(l.week), .int(l.open), .int(l.planned), .int(max(0, l.open - l.planned)),
                        .int(l.released.reduce(0) { $0 + $1.quantity }),
                    ])
                }
                StandardOutput.line("Order \(explanation.orderID) of \(explanation.customer) in plan \(explanation.runID) (as of \(explanation.asOf))\n")
                StandardOutput.line(lines.render(.table))
                for l in explanation.lines {
                    for release in l.released { StandardOutput.line("line \(l.line) \(release.sentence)") }
                }
                StandardOutput.line("\nPer week (the customer's figures cover all its lines of the SKU)")
                StandardOutput.line(listing.render(.table))
            }
        }

        /// One line: its figures, and the chips released from it by week
        /// (always an array, empty when none were).
        static func json(_ l: PlanExplanation.Line) -> JSONOutput {
            let released = l.released.map { r -> JSONOutput in .object([("week", .string(r.week)), ("quantity", .int(r.quantity))]) }
            let fields: [(String, JSONOutput)] = [
                ("line", .int(l.line)), ("sku", .string(l.sku)), ("requested", .string(l.week)), ("open", .int(l.open)),
                ("planned", .int(l.planned)), ("unplanned", .int(max(0, l.open - l.planned))), ("released", .array(released)),
            ]
            return .object(fields)
        }
    }
}

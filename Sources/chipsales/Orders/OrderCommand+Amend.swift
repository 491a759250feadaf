import ArgumentParser
import Domain
import Store

extension OrderCommand {
    /// `chipsales order amend`
    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a line's quantity or requested week, or add a line, with a reason.",
            discussion: """
                --line N with --quantity, --week or both changes that line: the quantity in whole \
                lots and never below what was shipped (a shipped line can only be reduced to what \
                was shipped), the week this ISO week or later; a cancelled line cannot be re-opened. \
                --add-line SKU:QUANTITY:WEEK[:UNIT_PRICE] adds a line after the last one, by the \
                rules of order create (whole lots, this week or later, the order's currency); a \
                cancelled order takes no new line. Each change is one audit event with the line \
                before and after and the reason. The current plan follows at once: a reduced line \
                gives up its latest chips, a line moved later the chips before its new week; the \
                next allocate run plans the rest. Adding is not idempotent: after a time-out, \
                check order show before trying again.

                Examples:
                  chipsales order amend 42 --line 1 --quantity 1024 --reason "customer re-plan"
                  chipsales order amend 42 --line 2 --week 2027-W03 --reason "customer moved it"
                  chipsales order amend 42 --add-line TRN3-BOARD:64:2027-W04 --reason "boards for the new racks"
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Order id.") var id: Int
        @Option(parsing: .unconditional, help: "Line number to change.") var line: Int?
        @Option(parsing: .unconditional, help: "New ordered quantity in chips.") var quantity: Int?
        @Option(help: "New requested ISO week.") var week: WeekArgument?
        @Option(help: "SKU:QUANTITY:WEEK[:UNIT_PRICE] of a line to add (repeatable).") var addLine: [String] = []
        @Option(help: "Why (required; kept in the audit trail).") var reason: String

        func validate() throws {
            if addLine.isEmpty {
                guard line != nil else {
                    throw ValidationError("give --line N with --quantity and/or --week, or --add-line SKU:QUANTITY:WEEK")
                }
                if quantity == nil && week == nil { throw ValidationError("give --quantity, --week or both") }
            } else if line != nil || quantity != nil || week != nil {
                throw ValidationError("--add-line adds a line; change an existing line with --line in another order amend")
            }
        }

        func run() throws {
            let order: Order
            if let line {
                order = try OrderStore(try database.connect())
                    .amend(order: id, line: line, quantity: quantity, week: week?.week, reason: reason)
            } else {
                let addition = try LineAddition(parsing: addLine)
                order = try OrderStore(try database.connect()).addLines(order: id, addition, reason: reason)
            }
            StandardOutput.line(OrderView(order: order, events: nil).render(output.format))
        }
    }
}

import ArgumentParser
import Domain
import Foundation
import Jobs
import Store

/// `chipsales order`
struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order", abstract: "Enter, change, ship and look up orders.",
        subcommands: [Create.self, Quote.self, Import.self, List.self, Show.self, Amend.self, Cancel.self, Ship.self, Confirmations.self])
}

extension OrderCommand {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enter an order (idempotent: the customer and reference identify it).",
            discussion: """
                Each --line is SKU:QUANTITY:WEEK[:UNIT_PRICE]; lines are numbered in the order given. \
                The unit price defaults to the product's list price. Weeks are this ISO week or later. \
                Entering the same order again answers with the existing one (exit 0); the same \
                reference with other lines is refused (exit 65) with the differences. With --quote it \
                prints what a plan run now would confirm for the order (see order quote) instead of the order.

                Examples:
                  chipsales order create --customer helios-dc --reference PO-7781 --line TRN3:512:2026-W50 --line TRN3-BOARD:64:2026-W51
                  chipsales order create --customer helios-dc --reference PO-7782 --line TRN3:960:2026-W50 --quote
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Option(help: "Customer id.") var customer: String
        @Option(help: "The customer's reference (their PO number).") var reference: String
        @Option(help: "SKU:QUANTITY:WEEK[:UNIT_PRICE] (repeatable).") var line: [String] = []
        @Flag(help: "Print what a plan run now would confirm for the order (as order quote does) instead of the order.")
        var quote = false

        func validate() throws {
            if line.isEmpty { throw ValidationError("give at least one --line SKU:QUANTITY:WEEK, like --line TRN3:512:2026-W50") }
        }

        func run() async throws {
            let lines = try line.enumerated().map { try LineDraft(number: $0.offset + 1, parsing: $0.element) }
            let job = OrderEntryJob(try OrderDraft(customer: customer, reference: reference, lines: lines), quote: quote)
            let outcome: OrderEntryJob.Outcome
            do {
                outcome = try await job.run(on: try database.connect())
            } catch let unquoted as UnquotedOrder {
                Self.noteAlreadyRecorded(unquoted.entry)
                throw unquoted
            }
            Self.noteAlreadyRecorded(outcome.entry)
            if let quote = outcome.quote { return StandardOutput.line(QuoteView(quote: quote).render(output.format)) }
            StandardOutput.line(OrderView(order: outcome.entry.order, events: nil).render(output.format))
        }

        static func noteAlreadyRecorded(_ entry: OrderEntry) {
            if case .alreadyRecorded(let order) = entry {
                FileHandle.standardErrorLine("order \(order.customer)/\(order.reference) was already recorded as order \(order.id); nothing changed")
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import orders from CSV, all or nothing.",
            discussion: """
                Header: customer,reference,line,sku,quantity,week[,unit_price]. Rows follow the \
                rules of order create. Every bad row is reported with its line (the first 20, and \
                how many in all) and nothing is stored unless the whole file is valid. Orders \
                already recorded with the same lines are skipped, so re-importing a file changes \
                nothing. Weeks before this ISO week are refused for new orders unless \
                --allow-past-weeks is given (for migrating order history).

                Example:
                  chipsales order import orders.csv
                  chipsales order import --allow-past-weeks history-2025.csv
                """)
        @OptionGroup var database: DatabaseOptions
        @Flag(help: "Accept weeks before this ISO week (for migrating order history).") var allowPastWeeks = false
        @Argument(help: "CSV file.") var file: String
        @OptionGroup var progressOptions: ProgressOptions

        func run() throws {
            let progress = progressOptions.progress()
            defer { progress.finish() }
            let store = OrderStore(try database.connect())
            let summary = try store.importCSV(
                path: file, weeks: allowPastWeeks ? .includingPastWeeks : .fromThisWeek, progress: progress.importing("order rows"))
            progress.finish()
            StandardOutput.line("Imported \(summary.ordersCreated) order\(summary.ordersCreated == 1 ? "" : "s") with \(summary.linesCreated) line\(summary.linesCreated == 1 ? "" : "s") from \(Echo.path(file)) (\(summary.rows) rows; \(summary.ordersAlreadyRecorded) already recorded).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List orders, newest first.",
            discussion: """
                When more orders match than --limit, the first page is printed and stderr says how \
                many there are; --offset skips to later pages.

                Example:
                  chipsales order list --customer helios-dc --status open --format json
                  chipsales order list --limit 100 --offset 200
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Option(help: "Only this customer.") var customer: CustomerArgument?
        @Option(help: "Only this status: open, partially_shipped, shipped, cancelled.") var status: OrderStatusArgument?
        @Option(help: "Only orders with a line of this SKU.") var sku: SKUArgument?
        @Option(parsing: .unconditional, help: "At most this many orders.") var limit = 1000
        @Option(parsing: .unconditional, help: "Skip this many orders first (the newest).") var offset = 0

        func validate() throws {
            guard limit >= 1 else { throw ValidationError("--limit must be 1 or more") }
            guard offset >= 0 else { throw ValidationError("--offset must be 0 or more") }
        }

        func run() throws {
            var listing = Listing(columns: [
                "id", "customer", "reference", "placed_at", "status", "lines", "ordered", "cancelled", "shipped", "open",
                "confirmed", "first_confirmed_week",
            ])
            let connection = try database.connect()
            let page = try OrderStore(connection)
                .page(customer: customer?.id, status: status?.status, sku: sku?.sku, limit: limit, offset: offset)
            let confirmed = try ConfirmationStore(connection).totals(orders: page.orders.map(\.id))
            for o in page.orders {
                listing.append([
                    .int(o.id), .text(o.customer), .text(o.reference), .text(o.placedAt), .text(o.status.rawValue),
                    .int(o.lines), .int(o.ordered), .int(o.cancelled), .int(o.shipped), .int(o.open),
                    .int(confirmed[o.id]?.confirmed ?? 0), confirmed[o.id]?.firstWeek.map { .text($0.description) } ?? .null,
                ])
            }
            StandardOutput.line(listing.render(output.format))
            if page.isPartial { FileHandle.standardErrorLine(Self.pageNote(page, limit: limit)) }
        }

        /// `showing 1,000 of 4,210 (orders 1 to 1,000); use --limit/--offset for others`
        static func pageNote(_ page: OrderPage, limit: Int) -> String {
            let shown = page.orders.count
            let range = shown == 0 ? "none from \((page.offset + 1).grouped)" : "orders \((page.offset + 1).grouped) to \((page.offset + shown).grouped)"
            return "showing \(shown.grouped) of \(page.total.grouped) (\(range)); use --limit/--offset for others"
        }

    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an order, its lines with the current plan's confirmed chips, and its audit trail.",
            discussion: "Example:\n  chipsales order show 42 --format json")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Order id.") var id: Int

        func run() throws {
            let connection = try database.connect()
            let store = OrderStore(connection)
            guard let order = try store.find(id) else { throw NotFound("order \(id)") }
            let confirmations = try ConfirmationStore(connection).forOrder(id)
            StandardOutput.line(OrderView(order: order, events: try store.events(id), confirmations: confirmations).render(output.format))
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel what is open on one line, or on the whole order.",
            discussion: "Example:\n  chipsales order cancel 42 --line 2 --reason \"customer re-planned\"")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Order id.") var id: Int
        @Option(parsing: .unconditional, help: "Line number (default: every open line).") var line: Int?
        @Option(help: "Why (required; kept in the audit trail).") var reason: String

        func run() throws {
            let order = try OrderStore(try database.connect()).cancel(order: id, line: line, reason: reason)
            StandardOutput.line(OrderView(order: order, events: nil).render(output.format))
        }
    }

    struct Ship: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ship chips against a line, within what the plan has due (takes them from stock).",
            discussion: """
                Ships at most what the current plan has due for the line up to and including --week \
                (default: this ISO week, UTC): the chips the plan confirmed to the line in those weeks, \
                less what shipped against them. More is refused (exit 65) with the confirmed and due \
                figures, unless --beyond-plan is given with a --reason: the shipment is then recorded as \
                beyond the plan (audit trail, ledger, and a warning in db check). With no plan yet \
                nothing is due.

                Examples:
                  chipsales order ship 42 --line 1 --quantity 256
                  chipsales order ship 42 --line 1 --quantity 512 --week 2026-W51
                  chipsales order ship 42 --line 1 --quantity 1024 --beyond-plan --reason "escalation: datacenter launch"
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Order id.") var id: Int
        @Option(parsing: .unconditional, help: "Line number.") var line: Int
        @Option(parsing: .unconditional, help: "Chips to ship (whole lots, at most what is open, on hand and due).") var quantity: Int
        @Option(help: "Ship what is due up to and including this ISO week (default: the current week, UTC).") var week: WeekArgument?
        @Flag(help: "Ship more than the plan has due (needs --reason).") var beyondPlan = false
        @Option(help: "Why (kept in the audit trail and the ledger; required with --beyond-plan).") var reason: String?

        func validate() throws {
            if beyondPlan, reason?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
                throw ValidationError("--beyond-plan needs a --reason, like --reason \"escalation: datacenter launch\"")
            }
        }

        func run() throws {
            let shipment = try OrderStore(try database.connect()).ship(
                order: id, line: line, quantity: quantity, through: week?.week, beyondPlan: beyondPlan, reason: reason)
            if shipment.beyondPlan > 0 {
                StandardError.line(
                    "order \(id) line \(line): \(shipment.beyondPlan) of \(quantity) chips shipped beyond the plan "
                        + "(\(shipment.plan.due) were due through \(shipment.plan.week)); db check lists it as a warning")
            }
            StandardOutput.line(OrderView(order: shipment.order, events: nil).render(output.format))
        }
    }
}

/// `--status` of `order list`.
struct OrderStatusArgument: ExpressibleByArgument {
    let status: OrderStatus
    init?(argument: String) {
        guard let status = OrderStatus(rawValue: argument) else { return nil }
        self.status = status
    }
}

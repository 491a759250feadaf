import ArgumentParser
import Domain
import Foundation
import Store

/// `chipsales order`
struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order", abstract: "Enter, change, ship and look up orders.",
        subcommands: [Create.self, Import.self, List.self, Show.self, Amend.self, Cancel.self, Ship.self, Confirmations.self])
}

extension OrderCommand {
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enter an order (idempotent: the customer and reference identify it).",
            discussion: """
                Each --line is SKU:QUANTITY:WEEK[:UNIT_PRICE]; lines are numbered in the order given. \
                The unit price defaults to the product's list price. Entering the same order again \
                answers with the existing one (exit 0); the same reference with other lines is refused \
                (exit 65) with the differences.

                Example:
                  chipsales order create --customer helios-dc --reference PO-7781 --line TRN3:512:2026-W50 --line TRN3-BOARD:64:2026-W51
                """)
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Option(help: "Customer id.") var customer: String
        @Option(help: "The customer's reference (their PO number).") var reference: String
        @Option(help: "SKU:QUANTITY:WEEK[:UNIT_PRICE] (repeatable).") var line: [String] = []

        func validate() throws {
            if line.isEmpty { throw ValidationError("give at least one --line SKU:QUANTITY:WEEK, like --line TRN3:512:2026-W50") }
        }

        func run() throws {
            let lines = try line.enumerated().map { try LineDraft(number: $0.offset + 1, parsing: $0.element) }
            let draft = try OrderDraft(customer: customer, reference: reference, lines: lines)
            let entry = try OrderStore(try database.connect()).create(draft)
            if case .alreadyRecorded(let order) = entry {
                FileHandle.standardErrorLine("order \(order.customer)/\(order.reference) was already recorded as order \(order.id); nothing changed")
            }
            print(OrderView(order: entry.order, events: nil).render(output.format))
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import orders from CSV, all or nothing.",
            discussion: """
                Header: customer,reference,line,sku,quantity,week[,unit_price]. Every bad row is \
                reported with its line and nothing is stored unless the whole file is valid. \
                Orders already recorded with the same lines are skipped, so re-importing a file \
                changes nothing.

                Example:
                  chipsales order import orders.csv
                """)
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "CSV file.") var file: String

        func run() throws {
            let summary = try OrderStore(try database.connect()).importCSV(path: file)
            print("Imported \(summary.ordersCreated) order\(summary.ordersCreated == 1 ? "" : "s") with \(summary.linesCreated) line\(summary.linesCreated == 1 ? "" : "s") from \(file) (\(summary.rows) rows; \(summary.ordersAlreadyRecorded) already recorded).")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List orders, newest first.",
            discussion: "Example:\n  chipsales order list --customer helios-dc --status open --format json")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Option(help: "Only this customer.") var customer: String?
        @Option(help: "Only this status: open, partially_shipped, shipped, cancelled.") var status: OrderStatusArgument?
        @Option(help: "Only orders with a line of this SKU.") var sku: String?
        @Option(help: "At most this many orders.") var limit = 1000

        func run() throws {
            var listing = Listing(columns: [
                "id", "customer", "reference", "placed_at", "status", "lines", "ordered", "cancelled", "shipped", "open",
                "confirmed", "first_confirmed_week",
            ])
            let connection = try database.connect()
            let orders = try OrderStore(connection).list(customer: customer, status: status?.status, sku: sku, limit: limit)
            let confirmed = try ConfirmationStore(connection).totals(orders: orders.map(\.id))
            for o in orders {
                listing.append([
                    .int(o.id), .text(o.customer), .text(o.reference), .text(o.placedAt), .text(o.status.rawValue),
                    .int(o.lines), .int(o.ordered), .int(o.cancelled), .int(o.shipped), .int(o.open),
                    .int(confirmed[o.id]?.confirmed ?? 0), confirmed[o.id]?.firstWeek.map { .text($0.description) } ?? .null,
                ])
            }
            print(listing.render(output.format))
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
            print(OrderView(order: order, events: try store.events(id), confirmations: confirmations).render(output.format))
        }
    }

    struct Amend: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a line's ordered quantity.",
            discussion: "Example:\n  chipsales order amend 42 --line 1 --quantity 1024")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Order id.") var id: Int
        @Option(help: "Line number.") var line: Int
        @Option(help: "New ordered quantity in chips.") var quantity: Int
        @Option(help: "Why (kept in the audit trail).") var reason: String?

        func run() throws {
            let order = try OrderStore(try database.connect()).amend(order: id, line: line, quantity: quantity, reason: reason)
            print(OrderView(order: order, events: nil).render(output.format))
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel what is open on one line, or on the whole order.",
            discussion: "Example:\n  chipsales order cancel 42 --line 2 --reason \"customer re-planned\"")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Order id.") var id: Int
        @Option(help: "Line number (default: every open line).") var line: Int?
        @Option(help: "Why (required; kept in the audit trail).") var reason: String

        func run() throws {
            let order = try OrderStore(try database.connect()).cancel(order: id, line: line, reason: reason)
            print(OrderView(order: order, events: nil).render(output.format))
        }
    }

    struct Ship: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ship chips against a line (takes them from stock).",
            discussion: "Example:\n  chipsales order ship 42 --line 1 --quantity 256")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Order id.") var id: Int
        @Option(help: "Line number.") var line: Int
        @Option(help: "Chips to ship (whole lots, at most what is open and on hand).") var quantity: Int

        func run() throws {
            let order = try OrderStore(try database.connect()).ship(order: id, line: line, quantity: quantity)
            print(OrderView(order: order, events: nil).render(output.format))
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

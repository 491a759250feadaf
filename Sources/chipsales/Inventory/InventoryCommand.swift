import ArgumentParser
import Domain
import Foundation
import Store
import Values

/// `chipsales inventory`
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory", abstract: "The inventory ledger: receipts, adjustments, stock.",
        subcommands: [Receive.self, Adjust.self, Show.self])
}

extension InventoryCommand {
    struct Receive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record chips arriving in the warehouse.",
            discussion: "Example:\n  chipsales inventory receive --sku TRN3 --quantity 4096 --note \"lot 77 from fab 2\"")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "SKU.") var sku: String
        @Option(parsing: .unconditional, help: "Chips received (> 0).") var quantity: Int
        @Option(help: "Free text.") var note: String?

        func run() throws {
            let onHand = try InventoryStore(try database.connect()).receive(sku: sku, quantity: quantity, note: note)
            StandardOutput.line("Received \(quantity) chips of \(sku); \(onHand) on hand.")
        }
    }

    struct Adjust: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct stock by a signed quantity, with a reason.",
            discussion: "Example:\n  chipsales inventory adjust --sku TRN3 --quantity -32 --reason \"cycle count\"")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "SKU.") var sku: String
        @Option(parsing: .unconditional, help: "Signed chips (e.g. -32).") var quantity: Int
        @Option(help: "Why (required).") var reason: String

        func run() throws {
            let onHand = try InventoryStore(try database.connect()).adjust(sku: sku, quantity: quantity, reason: reason)
            StandardOutput.line("Adjusted \(sku) by \(quantity); \(onHand) on hand.")
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show stock per SKU, or the latest movements of one.",
            discussion: "Example:\n  chipsales inventory show\n  chipsales inventory show --sku TRN3 --movements")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Option(help: "Only this SKU.") var sku: SKUArgument?
        @Flag(help: "List the latest movements instead of stock levels.") var movements = false
        @Option(parsing: .unconditional, help: "How many movements.") var limit = 50

        func validate() throws {
            guard limit >= 0 else { throw ValidationError("--limit must be 0 or more (got \(limit))") }
        }

        func run() throws {
            let store = InventoryStore(try database.connect())
            if movements {
                var listing = Listing(columns: ["id", "at", "sku", "kind", "quantity", "order_line", "beyond_plan", "note", "actor"])
                let recorded = try store.movements(sku: sku?.sku, limit: limit)
                for m in recorded {
                    listing.append([
                        .int(m.id), .text(Timestamp(m.at).wholeSeconds.text), .text(m.sku), .text(m.kind.rawValue), .int(m.quantity),
                        m.orderLineID.map(Cell.int) ?? .null, .bool(m.beyondPlan), m.note.map(Cell.text) ?? .null, .text(m.actor),
                    ])
                }
                StandardOutput.line(listing.render(output.format))
                if recorded.count == limit,
                   let note = Listing.truncationNote(
                    shown: recorded.count, total: try store.movementCount(sku: sku?.sku), of: sku.map { "movements of \($0.sku)" } ?? "movements") {
                    FileHandle.standardErrorLine(note)
                }
                return
            }
            var listing = Listing(columns: ["sku", "name", "lot_size", "on_hand", "received", "shipped", "adjusted"])
            for level in try store.stock(sku: sku?.sku) {
                listing.append([
                    .text(level.sku), .text(level.name), .int(level.lotSize), .int(level.onHand), .int(level.received),
                    .int(level.shipped), .int(level.adjusted),
                ])
            }
            StandardOutput.line(listing.render(output.format))
        }
    }
}

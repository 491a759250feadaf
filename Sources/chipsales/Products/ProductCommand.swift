import ArgumentParser
import Domain
import Store

/// `chipsales product`
struct ProductCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "product", abstract: "Add and list products (SKUs).", subcommands: [Add.self, List.self])
}

extension ProductCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a product.",
            discussion: """
                Example:
                  chipsales product add --sku TRN3 --name "Trainium3" --lot-size 16 --unit-price 9800.00 --currency USD
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "SKU: upper-case letters, digits, '.', '_', '-'.") var sku: String
        @Option(help: "Product name.") var name: String
        @Option(parsing: .unconditional, help: "Chips per tray, board or server; every quantity is a multiple of it.") var lotSize: Int
        @Option(parsing: .unconditional, help: "List price per chip, exact (e.g. 9800.00).") var unitPrice: DecimalArgument
        @Option(help: "ISO 4217 currency code.") var currency: String = "USD"

        func run() throws {
            let product = try Product(sku: sku, name: name, lotSize: lotSize, unitPrice: unitPrice.value, currency: currency)
            try ProductStore(try database.connect()).add(product)
            StandardOutput.line("Added product \(product.sku) (\(product.name)), lot size \(product.lotSize), \(product.unitPrice.fixed(2)) \(product.currency) per chip.")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List products.", discussion: "Example:\n  chipsales product list --format csv")

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            var listing = Listing(columns: ["sku", "name", "lot_size", "unit_price", "currency"])
            for product in try ProductStore(try database.connect()).list() {
                listing.append([.text(product.sku), .text(product.name), .int(product.lotSize), .money(product.unitPrice), .text(product.currency)])
            }
            StandardOutput.line(listing.render(output.format))
        }
    }
}

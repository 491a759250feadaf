import ArgumentParser
import Domain
import Store

/// `chipsales customer`
struct CustomerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer", abstract: "Add, change and look up customers.",
        subcommands: [Add.self, Change.self, List.self, Show.self])

    static func listing(_ records: [CustomerRecord]) -> Listing {
        var listing = Listing(columns: [
            "id", "name", "country", "internal", "tier", "weight", "compliance", "credit_hold", "minimums", "maximums",
        ])
        for record in records {
            let c = record.customer
            let minimums = record.contracts.compactMap { t in t.minimumPerWeek.map { "\(t.sku)=\($0)" } }.joined(separator: " ")
            let maximums = record.contracts.compactMap { t in t.maximumPerWeek.map { "\(t.sku)=\($0)" } }.joined(separator: " ")
            listing.append([
                .text(c.id), .text(c.name), .text(c.country), .bool(c.isInternal), .int(c.tier), .decimal(c.weight),
                .text(c.compliance.rawValue), .bool(c.creditHold), .text(minimums), .text(maximums),
            ])
        }
        return listing
    }
}

extension CustomerCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a customer.",
            discussion: """
                Example:
                  chipsales customer add --id helios-dc --name "Helios Data Centers" --country DE --tier 2 --weight 1.5
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Short id: lower-case letters, digits, inner hyphens.") var id: String
        @Option(help: "Customer name.") var name: String
        @Option(help: "ISO 3166-1 alpha-2 country code.") var country: String
        @Option(parsing: .unconditional, help: "Priority tier; 1 is served first.") var tier: Int = 1
        @Option(parsing: .unconditional, help: "Share within the tier (exact decimal, > 0).") var weight: DecimalArgument = DecimalArgument(argument: "1")!
        @Flag(help: "The vendor's own cloud (holds the internal floor share).") var `internal` = false
        @Option(help: "Export compliance: cleared, pending or denied.") var compliance: ComplianceStatus = .cleared

        func run() throws {
            let customer = try Customer(
                id: id, name: name, country: country, isInternal: `internal`, tier: tier, weight: weight.value,
                compliance: compliance)
            try CustomerStore(try database.connect()).add(customer)
            StandardOutput.line("Added customer \(customer.id) (\(customer.name), \(customer.country)), tier \(customer.tier), weight \(customer.weight), \(customer.compliance.rawValue)\(customer.isInternal ? ", internal" : "").")
        }
    }

    struct Change: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change a customer's tier, weight, compliance, credit hold or contract terms.",
            discussion: """
                Minimums and maximums are chips per week for one SKU; 0 removes the term.

                Example:
                  chipsales customer set helios-dc --tier 1 --compliance cleared --no-hold --minimum TRN3=256 --maximum TRN3=4096
                """)

        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Customer id.") var id: String
        @Option(parsing: .unconditional, help: "Priority tier; 1 is served first.") var tier: Int?
        @Option(parsing: .unconditional, help: "Share within the tier (exact decimal, > 0).") var weight: DecimalArgument?
        @Option(help: "Export compliance: cleared, pending or denied.") var compliance: ComplianceStatus?
        @Flag(inversion: .prefixedNo, help: "Put on (or take off) credit hold.") var hold: Bool?
        @Option(help: "New name.") var name: String?
        @Option(help: "New ISO 3166-1 alpha-2 country code.") var country: String?
        @Option(help: "Weekly contract minimum, SKU=CHIPS (repeatable).") var minimum: [SKUQuantity] = []
        @Option(help: "Weekly cap, SKU=CHIPS (repeatable).") var maximum: [SKUQuantity] = []

        func validate() throws {
            if changes.isEmpty { throw ValidationError("nothing to change: give at least one of --tier, --weight, --compliance, --hold/--no-hold, --name, --country, --minimum, --maximum") }
        }

        var changes: CustomerChanges {
            var changes = CustomerChanges()
            changes.tier = tier
            changes.weight = weight?.value
            changes.compliance = compliance
            changes.creditHold = hold
            changes.name = name
            changes.country = country
            for term in minimum { changes.minimums[term.sku] = term.quantity }
            for term in maximum { changes.maximums[term.sku] = term.quantity }
            return changes
        }

        func run() throws {
            let store = CustomerStore(try database.connect())
            try store.update(id, changes)
            StandardOutput.line(CustomerCommand.listing([try store.get(id)]).render(.table))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List customers.", discussion: "Example:\n  chipsales customer list --format json")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            StandardOutput.line(CustomerCommand.listing(try CustomerStore(try database.connect()).list()).render(output.format))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one customer.", discussion: "Example:\n  chipsales customer show helios-dc")
        @OptionGroup var database: DatabaseOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Customer id.") var id: String

        func run() throws {
            let record = try CustomerStore(try database.connect()).get(id)
            let listing = CustomerCommand.listing([record])
            switch output.format {
            case .json: StandardOutput.line(listing.jsonObjects[0].render())
            default: StandardOutput.line(listing.render(output.format))
            }
        }
    }
}

import ArgumentParser
import Domain
import Foundation
import Values

/// An exact decimal argument (`9800.00`, `1.5`); never a floating-point value.
struct DecimalArgument: ExpressibleByArgument, CustomStringConvertible {
    let value: Decimal
    init?(argument: String) {
        guard let value = Decimal(exactly: argument) else { return nil }
        self.value = value
    }
    var description: String { value.description }
    /// What `--help` shows as the default (`1`, not `DecimalArgument(value: 1)`).
    var defaultValueDescription: String { description }
}

/// An ISO week argument (`2026-W49`; `2026-w49` too).
struct WeekArgument: ExpressibleByArgument, CustomStringConvertible {
    let week: Period
    init?(argument: String) {
        guard let week = Period(normalizing: argument) else { return nil }
        self.week = week
    }
    var description: String { week.description }
    var defaultValueDescription: String { description }
}

/// A `SKU=CHIPS` argument (`TRN3=256`; `trn3=256` too).
struct SKUQuantity: ExpressibleByArgument, CustomStringConvertible {
    let sku: String
    let quantity: Int
    init?(argument: String) {
        let parts = argument.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let sku = try? Product.validSKU(parts[0]),
              let quantity = Int(TextRules.trimmed(parts[1])), quantity >= 0 else { return nil }
        self.sku = sku
        self.quantity = quantity
    }
    var description: String { "\(sku)=\(quantity)" }
    var defaultValueDescription: String { description }
}

/// A SKU typed as a filter (`--sku trn3`): normalised like every SKU; a
/// malformed one is a usage error.
struct SKUArgument: ExpressibleByArgument {
    let sku: String
    init?(argument: String) {
        guard let sku = try? Product.validSKU(argument) else { return nil }
        self.sku = sku
    }
}

/// A customer id typed as a filter (`--customer Helios-DC`): normalised
/// like every customer id; a malformed one is a usage error.
struct CustomerArgument: ExpressibleByArgument {
    let id: String
    init?(argument: String) {
        guard let id = try? Customer.validID(argument) else { return nil }
        self.id = id
    }
}

extension ComplianceStatus: ExpressibleByArgument {}

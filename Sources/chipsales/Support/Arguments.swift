import ArgumentParser
import Domain
import Foundation

/// An exact decimal argument (`9800.00`, `1.5`); never a floating-point value.
struct ExactDecimal: ExpressibleByArgument, CustomStringConvertible {
    let value: Decimal
    init?(argument: String) {
        guard let value = Decimal(exactly: argument) else { return nil }
        self.value = value
    }
    var description: String { value.description }
    /// What `--help` shows as the default (`1`, not `ExactDecimal(value: 1)`).
    var defaultValueDescription: String { description }
}

/// An ISO week argument (`2026-W49`).
struct WeekArgument: ExpressibleByArgument, CustomStringConvertible {
    let week: ISOWeek
    init?(argument: String) {
        guard let week = ISOWeek(argument) else { return nil }
        self.week = week
    }
    var description: String { week.description }
    var defaultValueDescription: String { description }
}

/// A `SKU=CHIPS` argument (`TRN3=256`).
struct SKUQuantity: ExpressibleByArgument, CustomStringConvertible {
    let sku: String
    let quantity: Int
    init?(argument: String) {
        let parts = argument.split(separator: "=", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let quantity = Int(parts[1]), quantity >= 0 else { return nil }
        sku = String(parts[0])
        self.quantity = quantity
    }
    var description: String { "\(sku)=\(quantity)" }
    var defaultValueDescription: String { description }
}

extension ComplianceStatus: ExpressibleByArgument {}

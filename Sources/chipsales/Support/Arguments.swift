import ArgumentParser
import Domain
import Foundation

/// An exact decimal argument (`9800.00`, `1.5`); never a floating-point value.
struct ExactDecimal: ExpressibleByArgument {
    let value: Decimal
    init?(argument: String) {
        guard let value = Decimal(exactly: argument) else { return nil }
        self.value = value
    }
    static var defaultValueDescription: String { "decimal" }
}

/// An ISO week argument (`2026-W49`).
struct WeekArgument: ExpressibleByArgument {
    let week: ISOWeek
    init?(argument: String) {
        guard let week = ISOWeek(argument) else { return nil }
        self.week = week
    }
}

/// A `SKU=CHIPS` argument (`TRN3=256`).
struct SKUQuantity: ExpressibleByArgument {
    let sku: String
    let quantity: Int
    init?(argument: String) {
        let parts = argument.split(separator: "=", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let quantity = Int(parts[1]), quantity >= 0 else { return nil }
        sku = String(parts[0])
        self.quantity = quantity
    }
}

extension ComplianceStatus: ExpressibleByArgument {}

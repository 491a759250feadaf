import Database
import Foundation

/// The reports analysts and planners read, each backed by a `report_*` view.
public enum Report: String, CaseIterable, Sendable {
    case orderBook = "order-book"
    case internalShare = "internal-share"
    case capacity
    case backlog
    case allocatedValue = "allocated-value"
    case runChange = "run-change"
    case inventory

    /// The view, its columns in print order, and which filters apply.
    struct Definition {
        let view: String
        let columns: [String]
        let runScoped: Bool
        let weekColumn: String?
        let customerColumn: String?
        let skuColumn: String?
        let orderBy: String
    }

    var definition: Definition {
        switch self {
        case .orderBook:
            Definition(
                view: "report_order_book",
                columns: ["customer_id", "week", "ordered", "cancelled", "shipped", "open", "allocated", "fill_rate_pct"],
                runScoped: true, weekColumn: "week", customerColumn: "customer_id", skuColumn: nil, orderBy: "customer_id, week")
        case .internalShare:
            Definition(
                view: "report_internal_share",
                columns: ["sku", "week", "supply", "available", "allocated", "internal_chips", "outside_chips",
                          "internal_pct_of_supply", "outside_pct_of_supply", "internal_pct_of_allocated"],
                runScoped: true, weekColumn: "week", customerColumn: nil, skuColumn: "sku", orderBy: "sku, week")
        case .capacity:
            Definition(
                view: "report_capacity",
                columns: ["sku", "week", "supply", "available", "allocated", "carry", "utilisation_pct"],
                runScoped: true, weekColumn: "week", customerColumn: nil, skuColumn: "sku", orderBy: "sku, week")
        case .backlog:
            Definition(
                view: "report_backlog",
                columns: ["customer_id", "age", "held", "lines", "chips", "oldest_week"],
                runScoped: true, weekColumn: nil, customerColumn: "customer_id", skuColumn: nil,
                orderBy: "customer_id, age, held")
        case .allocatedValue:
            Definition(
                view: "report_allocated_value",
                columns: ["customer_id", "week", "currency", "chips", "value"],
                runScoped: true, weekColumn: "week", customerColumn: "customer_id", skuColumn: nil,
                orderBy: "customer_id, week, currency")
        case .runChange:
            Definition(
                view: "report_run_change",
                columns: ["previous_run_id", "customer_id", "before", "after", "change"],
                runScoped: true, weekColumn: nil, customerColumn: "customer_id", skuColumn: nil,
                orderBy: "abs(change) DESC, customer_id")
        case .inventory:
            Definition(
                view: "report_inventory",
                columns: ["sku", "name", "lot_size", "on_hand", "received", "shipped", "adjusted", "movements", "last_movement_at"],
                runScoped: false, weekColumn: nil, customerColumn: nil, skuColumn: "sku", orderBy: "sku")
        }
    }

    /// Which filters a report takes.
    public var filters: (week: Bool, customer: Bool, sku: Bool, run: Bool) {
        let d = definition
        return (d.weekColumn != nil, d.customerColumn != nil, d.skuColumn != nil, d.runScoped)
    }

    /// What the report shows, in one line for `--help` and page titles.
    public var title: String {
        switch self {
        case .orderBook: "Order book per customer and requested week"
        case .internalShare: "Internal vs outside share per SKU and week"
        case .capacity: "Capacity utilisation per SKU and week"
        case .backlog: "Backlog: open chips the plan could not place, by age of the requested week"
        case .allocatedValue: "Allocated value per customer, week and currency"
        case .runChange: "Change from the previous run per customer"
        case .inventory: "Inventory on hand and movements per SKU"
        }
    }
}

/// Filters of `chipsales report`; `nil` means no filter.
public struct ReportFilter: Sendable {
    public var run: Int?
    public var from: String?
    public var to: String?
    public var customer: String?
    public var sku: String?

    public init(run: Int? = nil, from: String? = nil, to: String? = nil, customer: String? = nil, sku: String? = nil) {
        self.run = run
        self.from = from
        self.to = to
        self.customer = customer
        self.sku = sku
    }
}

/// One value of a report row.
public enum ReportValue: Equatable, Sendable {
    case int(Int)
    /// An exact numeric value, as PostgreSQL printed it (`9800.00`, `87.5`).
    case number(String)
    case text(String)
    case bool(Bool)
    case time(Date)
    case null
}

/// A report's rows, read through its view.
public struct ReportTable: Sendable {
    public let report: Report
    /// The run the figures are from (`nil` for reports that are not per run).
    public let run: Int?
    public let columns: [String]
    public let rows: [[ReportValue]]
}

/// A valid scenario that cannot be allocated.
public enum AllocationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Fixed allocations of a week need more lots than the week has.
    /// Quantities are in lots; `shortfall = fixedLots - availableLots`.
    case fixedExceedsSupply(sku: String, period: Period, fixedLots: Int, availableLots: Int, lotSize: Int)

    /// Lots missing for the fixed allocations to fit.
    public var shortfall: Int {
        switch self {
        case let .fixedExceedsSupply(_, _, fixed, available, _): return fixed - available
        }
    }

    public var description: String {
        switch self {
        case let .fixedExceedsSupply(sku, period, fixed, available, lot):
            return "SKU \(sku) in \(period): fixed allocations need \(fixed) lots (\(fixed * lot) chips) but only \(available) lots are available; short by \(fixed - available) lots (\((fixed - available) * lot) chips)"
        }
    }
}

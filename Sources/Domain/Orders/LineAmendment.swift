import Values

/// A change to one stored line: its ordered quantity, its requested week,
/// or both. The rules are the order desk's: a cancelled line stays
/// cancelled, nothing goes below what was shipped and cancelled, quantities
/// are whole lots, and no demand is entered for a week that has passed.
public struct LineAmendment: Equatable, Sendable {
    public let quantity: Int?
    public let week: Period?

    /// - Throws: `ValidationFailure` when neither is given or the quantity is out of range.
    public init(quantity: Int?, week: Period?, record: String) throws {
        guard quantity != nil || week != nil else {
            throw ValidationFailure(record: record, field: "line", problem: "needs a new quantity or week", kind: .malformed)
        }
        self.quantity = try quantity.map { try Validate.quantity($0, record: record, field: "quantity", range: 1...maximumChips) }
        self.week = week
    }

    /// Checks the change against the line as stored (`lotSize` is its product's).
    public func check(_ line: OrderLine, lotSize: Int, weeks: EntryWeeks, record: String) throws {
        // A cancellation cancels all that is open, so any cancelled chips mean
        // the line is closed, also when part of it shipped first.
        guard line.cancelled == 0 else {
            throw ValidationFailure(
                record: record, field: "line",
                problem: "is cancelled; a cancelled line cannot be re-opened (enter a new order instead)")
        }
        if let quantity {
            try Validate.wholeLots(quantity, lotSize: lotSize, sku: line.sku, record: record, field: "quantity")
            guard quantity >= line.shipped + line.cancelled else {
                throw ValidationFailure(
                    record: record, field: "quantity",
                    problem: "\(quantity) is below what was already shipped (\(line.shipped)) and cancelled (\(line.cancelled))")
            }
        }
        if let week { try weeks.check(week, record: record) }
        // More chips for a week that has passed is new demand in the past.
        let resultingWeek = week ?? line.requestedWeek
        if let quantity, quantity > line.quantity, let earliest = weeks.earliest, resultingWeek < earliest {
            throw ValidationFailure(
                record: record, field: "quantity",
                problem: "cannot grow a line due in \(resultingWeek), which is in the past (this is \(earliest)); give a new --week as well")
        }
    }
}

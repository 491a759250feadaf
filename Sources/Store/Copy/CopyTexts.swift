import Database
import Values

/// The COPY text form of the few distinct values (customer ids, SKUs,
/// currencies, weeks) that repeat across a million rows of a run, each
/// escaped once: the run's own codes index arrays, anything else is cached.
struct CopyTexts {
    let customers: [[UInt8]]
    let skus: [[UInt8]]
    let currencies: [[UInt8]]
    private var weeks: [Period: [UInt8]] = [:]
    private var others: [String: [UInt8]] = [:]

    init(_ lines: PlanInput.Lines) {
        customers = lines.customerIDs.map(Self.escaped)
        skus = lines.skus.map(Self.escaped)
        currencies = lines.currencies.map(Self.escaped)
    }

    static func escaped(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        CopyInWriter.appendEscaped(text, to: &bytes)
        return bytes
    }

    mutating func week(_ period: Period) -> [UInt8] {
        if let cached = weeks[period] { return cached }
        let bytes = Self.escaped(period.description)
        weeks[period] = bytes
        return bytes
    }

    mutating func text(_ text: String) -> [UInt8] {
        if let cached = others[text] { return cached }
        let bytes = Self.escaped(text)
        others[text] = bytes
        return bytes
    }
}

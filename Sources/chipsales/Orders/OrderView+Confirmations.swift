import Domain

extension OrderView {
    /// `confirmed` (the weeks, as `2026-W50:320 2026-W51:160`) and `unconfirmed`, when confirmations are shown.
    var confirmationColumns: [String] { confirmations == nil ? [] : ["confirmed", "unconfirmed"] }

    /// A line's confirmation cells; a line that is not open has nothing confirmed and nothing unconfirmed.
    func confirmationCells(_ line: OrderLine) -> [Cell] {
        guard let confirmations else { return [] }
        guard let confirmation = confirmations[line.number] else { return [.null, .int(0)] }
        return [confirmation.confirmed.isEmpty ? .null : .text(confirmation.confirmed.text), .int(confirmation.unconfirmed)]
    }

    /// The lines as JSON objects; with confirmations, `confirmed` is an array
    /// of `{"week", "quantity"}` objects rather than text.
    var lineObjects: [JSONOutput] {
        let objects = lines.jsonObjects
        guard let confirmations else { return objects }
        return zip(order.lines, objects).map { line, object in
            guard case .object(let fields) = object else { return object }
            let weeks = confirmations[line.number]?.confirmed ?? []
            return .object(fields.map { $0.0 == "confirmed" ? ("confirmed", weeks.json) : $0 })
        }
    }
}

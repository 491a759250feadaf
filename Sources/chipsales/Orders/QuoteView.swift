import Store

/// How a quote prints: per line the chips confirmed by week and the
/// unconfirmed rest, then the customers displaced. CSV holds the lines only,
/// one row per line and week confirmed plus one for the unconfirmed rest, so
/// that a line's rows add up to its open chips.
struct QuoteView {
    let quote: OrderQuote

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .json: json.render()
        case .csv: csv.render(.csv)
        case .table: table
        }
    }

    var json: JSONOutput {
        var fields: [(String, JSONOutput)] = [("customer", .string(quote.customer))]
        if let id = quote.orderID { fields.append(("order", .int(id))) }
        if let reference = quote.reference { fields.append(("reference", .string(reference))) }
        fields += [
            ("as_of", .string(quote.asOf.description)),
            ("hold", quote.hold.map(JSONOutput.string) ?? .null),
            ("lines", .array(quote.lines.map { line in
                .object([
                    ("line", .int(line.number)), ("sku", .string(line.sku)), ("quantity", .int(line.quantity)),
                    ("requested_week", .string(line.requestedWeek.description)),
                    ("confirmed", line.confirmed.json),
                    ("unconfirmed", .int(line.unconfirmed)),
                ])
            })),
            ("displaced", .array(quote.displaced.map {
                .object([("customer", .string($0.customer)), ("quantity", .int($0.quantity))])
            })),
        ]
        return .object(fields)
    }

    var csv: Listing {
        var listing = Listing(columns: ["line", "sku", "quantity", "requested_week", "status", "week", "chips"])
        for line in quote.lines {
            let head: [Cell] = [.int(line.number), .text(line.sku), .int(line.quantity), .text(line.requestedWeek.description)]
            for week in line.confirmed {
                listing.append(head + [.text("confirmed"), .text(week.week.description), .int(week.quantity)])
            }
            if line.unconfirmed > 0 { listing.append(head + [.text("unconfirmed"), .null, .int(line.unconfirmed)]) }
        }
        return listing
    }

    var table: String {
        let subject = quote.orderID.map { "order \($0) (\(quote.customer) / \(quote.reference ?? ""))" } ?? "an order of \(quote.customer)"
        var text = "Quote for \(subject) as of \(quote.asOf): what a plan run now would confirm, week by week\n"
        if let hold = quote.hold {
            text += "\(quote.customer) is held (\(hold)): the plan confirms nothing for it until that is lifted.\n"
        }
        var lines = Listing(columns: ["line", "sku", "quantity", "requested_week", "confirmed", "unconfirmed", "weeks"])
        for line in quote.lines {
            let weeks = line.confirmed.map { "\($0.week) \($0.quantity)" }.joined(separator: ", ")
            lines.append([
                .int(line.number), .text(line.sku), .int(line.quantity), .text(line.requestedWeek.description),
                .int(line.confirmedTotal), .int(line.unconfirmed), weeks.isEmpty ? .null : .text(weeks),
            ])
        }
        text += "\n" + lines.render(.table) + "\n\n"
        guard !quote.displaced.isEmpty else {
            return text + "Displaced: nobody (the order takes only chips no other line would get)."
        }
        let total = quote.displaced.reduce(0) { $0 + $1.quantity }
        text += "Displaced: the order takes \(total) chips that these customers' lines would get without it\n"
        var displaced = Listing(columns: ["customer", "chips"])
        for row in quote.displaced { displaced.append([.text(row.customer), .int(row.quantity)]) }
        return text + displaced.render(.table)
    }
}

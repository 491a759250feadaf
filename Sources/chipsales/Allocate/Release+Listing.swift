import Store

extension Release {
    /// Released chips per line and week, as planners read them (the run
    /// summary and `allocate diff`).
    static func listing(_ releases: [Release]) -> Listing {
        var listing = Listing(columns: ["order", "line", "customer", "sku", "week", "released"])
        for r in releases {
            listing.append([.int(r.order), .int(r.line), .text(r.customer), .text(r.sku), .text(r.week.description), .int(r.quantity)])
        }
        return listing
    }
}

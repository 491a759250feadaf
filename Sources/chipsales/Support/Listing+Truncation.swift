extension Listing {
    /// What a listing of the newest records says on stderr when `--limit`
    /// left some out (`showing the newest 50 of 312 runs; use --limit for
    /// more`), or `nil` when it showed them all. `order list` has pages and
    /// says so in its own words (`OrderCommand.List.pageNote`).
    static func truncationNote(shown: Int, total: Int, of records: String) -> String? {
        guard total > shown else { return nil }
        let what = shown == 0 ? "none" : "the newest \(shown.grouped)"
        return "showing \(what) of \(total.grouped) \(records); use --limit for more"
    }
}

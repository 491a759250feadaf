import Store

extension Progress {
    /// An import's events as progress: the rows read, then the checks and
    /// the insert in the database. `nil` when nothing is shown.
    func importing(_ what: String) -> ((ImportProgress) -> Void)? {
        guard isShown else { return nil }
        start("reading \(what)")
        return { [self] event in
            switch event {
            case let .read(rows): advance(to: rows)
            case .storing: start("checking and storing \(what)")
            }
        }
    }
}

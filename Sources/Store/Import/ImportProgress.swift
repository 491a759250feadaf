/// What an import reports while it runs, for a progress line.
public enum ImportProgress: Sendable {
    /// Rows of the file read so far.
    case read(rows: Int)
    /// The whole file is read; the checks and the insert run in the database.
    case storing
}

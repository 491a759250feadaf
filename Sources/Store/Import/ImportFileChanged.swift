import Domain

/// The file of an import read differently the second time (written to
/// while it was imported): nothing was stored, and the import may be run again.
public struct ImportFileChanged: Error, CustomStringConvertible {
    public let path: String
    public var description: String {
        "\(Echo.path(path)) changed while it was being imported; nothing was stored: import it again"
    }
}

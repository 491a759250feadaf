/// A file named on the command line cannot be read at all.
public struct InputFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// Nothing exists at the path (sysexits: 66, no input).
        case missing
        /// The path names a folder or another thing that is not a file.
        case notAFile
        /// The file exists but cannot be opened or read (permissions, I/O error).
        case unreadable(String)
    }

    /// The path as given.
    public let path: String
    public let reason: Reason

    public init(path: String, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .missing: "file \(path) does not exist"
        case .notAFile: "\(path) is not a file (a folder?); give the path of a CSV file"
        case .unreadable(let why): "file \(path) cannot be read: \(why)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Domain

/// An input file that is missing, is a directory or cannot be read (exit 66).
public struct InputFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path as given.
    public let path: String
    /// The `errno` the system reported.
    public let errorNumber: Int32

    public init(path: String, errorNumber: Int32) {
        self.path = path
        self.errorNumber = errorNumber
    }

    public var description: String {
        let reason = errorNumber == EISDIR ? "it is a directory, not a file" : String(cString: strerror(errorNumber))
        return "cannot read \(Echo.path(path)): \(reason)"
    }
}

import Foundation

extension FileHandle {
    /// Writes one line to stderr (notes and warnings; results go to stdout),
    /// through `StandardError`, which never traps on a closed descriptor.
    static func standardErrorLine(_ text: String) {
        StandardError.line(text)
    }
}

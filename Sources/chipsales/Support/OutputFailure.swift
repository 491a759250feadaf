#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output that could not be written: a file that cannot be created, or a
/// write that failed (a full disk, a closed descriptor).
struct OutputFailure: Error, CustomStringConvertible {
    enum Kind {
        /// The file could not be created or opened for writing (exit 73).
        case cannotCreate
        /// Writing, flushing or closing failed (exit 74).
        case writeFailed
    }

    /// `standard output` or the file's path.
    let target: String
    let kind: Kind
    /// The `errno` the system reported.
    let errorNumber: Int32
    /// What became of the target, when that is worth saying.
    var note: String? = nil

    init(target: String, kind: Kind, errorNumber: Int32) {
        self.target = target
        self.kind = kind
        self.errorNumber = errorNumber
    }

    /// `failure` (when it is an `OutputFailure`) with a note added.
    init(failure: Error, note: String) {
        guard let output = failure as? OutputFailure else {
            self.init(target: "output", kind: .writeFailed, errorNumber: EIO)
            self.note = note
            return
        }
        self = output
        self.note = note
    }

    var reason: String { String(cString: strerror(errorNumber)) }

    var description: String {
        let text = switch kind {
        case .cannotCreate: "cannot create \(target): \(reason)"
        case .writeFailed: "cannot write to \(target): \(reason)"
        }
        return note.map { "\(text); \($0)" } ?? text
    }
}

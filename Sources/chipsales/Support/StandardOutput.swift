#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// The one writer of results: everything a command prints goes through C's
/// `stdout` buffer (as `print` does), and `finish()` flushes it and reports
/// a write that failed, so a full disk or a closed descriptor is an error
/// (exit 74) instead of a truncated file and exit 0.
///
/// A reader that goes away early (`chipsales report … | head`) still ends
/// the process with SIGPIPE, as for any Unix filter.
enum StandardOutput {
    /// The first error a write met (an `errno`), kept until `finish()`.
    nonisolated(unsafe) private static var firstError: Int32 = 0

    /// Writes `text` and a line end.
    static func line(_ text: String) {
        write(text + "\n")
    }

    /// Writes `text` as it is.
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Writes raw bytes (a JSON document, a scenario file).
    static func write(bytes: some Collection<UInt8>) {
        let written: Void? = bytes.withContiguousStorageIfAvailable { write(bytes: UnsafeRawBufferPointer($0)) }
        if written == nil { Array(bytes).withUnsafeBytes { write(bytes: $0) } }
    }

    private static func write(bytes: UnsafeRawBufferPointer) {
        guard firstError == 0, let base = bytes.baseAddress, bytes.count > 0 else { return }
        if fwrite(base, 1, bytes.count, stdout) < bytes.count {
            firstError = errno == 0 ? EIO : errno
        }
    }

    /// Flushes what is buffered and throws `OutputFailure` when any write
    /// to standard output failed (here or through `print`).
    static func finish() throws {
        if fflush(stdout) != 0, firstError == 0 { firstError = errno == 0 ? EIO : errno }
        if ferror(stdout) != 0, firstError == 0 { firstError = EIO }
        guard firstError == 0 else {
            throw OutputFailure(target: "standard output", kind: .writeFailed, errorNumber: firstError)
        }
    }
}

/// Notes and errors for people, on stderr. A failure to write them is
/// ignored: there is nowhere left to report it.
enum StandardError {
    static func line(_ text: String) {
        fputs(text + "\n", stderr)
        fflush(stderr)
    }
}

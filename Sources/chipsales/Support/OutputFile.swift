#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Domain

/// Writes a command's `--output` file whole or not at all.
///
/// A regular file (or a new one) is written to a temporary file beside it,
/// synced and renamed over it, so a reader never sees half a report and a
/// failure leaves the old file as it was. A device or pipe (`/dev/stdout`,
/// a FIFO) cannot be replaced: it is written directly, every write checked.
enum OutputFile {
    static func write(_ text: String, to path: String) throws {
        try write(bytes: Array(text.utf8), to: path)
    }

    static func write(bytes: [UInt8], to path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                throw OutputFailure(target: Echo.path(path), kind: .cannotCreate, errorNumber: EISDIR)
            case S_IFREG:
                try replace(path: path, with: bytes, mode: info.st_mode & 0o7777)
            default:
                try writeInPlace(path: path, bytes: bytes)
            }
        } else {
            let mask = umask(0)
            umask(mask)
            try replace(path: path, with: bytes, mode: 0o666 & ~mask)
        }
    }

    /// Temporary file in the same folder, then `rename`: atomic on one file system.
    private static func replace(path: String, with bytes: [UInt8], mode: mode_t) throws {
        let target = resolvedPath(path)
        let slash = target.lastIndex(of: "/")
        let folder = slash.map { String(target[..<$0]) } ?? "."
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var template = Array("\(folder.isEmpty ? "/" : folder)/.\(name).chipsales-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw OutputFailure(target: Echo.path(path), kind: .cannotCreate, errorNumber: errno) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var closed = false
        do {
            try writeAll(descriptor, bytes, target: Echo.path(path))
            if fchmod(descriptor, mode) != 0 || fsync(descriptor) != 0 {
                throw OutputFailure(target: Echo.path(path), kind: .writeFailed, errorNumber: errno)
            }
            closed = true
            if close(descriptor) != 0 { throw OutputFailure(target: Echo.path(path), kind: .writeFailed, errorNumber: errno) }
            if rename(temporary, target) != 0 { throw OutputFailure(target: Echo.path(path), kind: .cannotCreate, errorNumber: errno) }
        } catch {
            if !closed { close(descriptor) }
            unlink(temporary)
            throw OutputFailure(failure: error, note: "\(Echo.path(path)) was left as it was")
        }
    }

    /// A symbolic link is followed, so that the file it names is replaced, not the link.
    private static func resolvedPath(_ path: String) -> String {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK, let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func writeInPlace(path: String, bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard descriptor >= 0 else { throw OutputFailure(target: Echo.path(path), kind: .cannotCreate, errorNumber: errno) }
        do {
            try writeAll(descriptor, bytes, target: Echo.path(path))
        } catch {
            close(descriptor)
            throw error
        }
        if close(descriptor) != 0 { throw OutputFailure(target: Echo.path(path), kind: .writeFailed, errorNumber: errno) }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], target: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw OutputFailure(target: target, kind: .writeFailed, errorNumber: errno)
                }
                offset += written
            }
        }
    }
}

/// `write(2)`, named apart from `OutputFile.write`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}

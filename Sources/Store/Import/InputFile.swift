#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A file an operator named for reading (a CSV import, a scenario), or
/// standard input: opened and read with every system error turned into an
/// `InputFileError`, never a trap (Foundation's `FileHandle.readData` traps
/// on a directory or a read error).
public final class InputFile {
    /// The path as given, for messages (`standard input` for `-`).
    public let name: String
    private let descriptor: Int32
    private let owned: Bool

    /// Opens `path` for reading; `-` is standard input.
    ///
    /// - Throws: `InputFileError` for a missing, unreadable or directory path.
    public init(path: String) throws(InputFileError) {
        if path == "-" {
            name = "standard input"
            descriptor = STDIN_FILENO
            owned = false
        } else {
            name = path
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw InputFileError(path: path, errorNumber: errno) }
            owned = true
        }
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw InputFileError(path: name, errorNumber: EISDIR)
        }
    }

    deinit {
        if owned { close(descriptor) }
    }

    /// Up to `count` bytes; empty at the end of the file.
    public func read(upTo count: Int) throws(InputFileError) -> Data {
        var buffer = Data(count: count)
        // `withUnsafeMutableBytes` rethrows untyped errors: carry the result out.
        let length = buffer.withUnsafeMutableBytes { bytes in Result { () throws(InputFileError) in try read(into: bytes) } }
        buffer.count = try length.get()
        return buffer
    }

    /// Fills the start of `buffer` with the next bytes of the file, so a
    /// caller can reuse one buffer; returns how many (0 at the end).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputFileError) -> Int {
        guard let start = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let got = systemRead(descriptor, start, buffer.count)
            if got >= 0 { return got }
            if errno != EINTR { throw InputFileError(path: name, errorNumber: errno) }
        }
    }

    /// The rest of the file.
    public func readToEnd() throws(InputFileError) -> Data {
        var data = Data()
        while true {
            let chunk = try read(upTo: 1 << 16)
            if chunk.isEmpty { return data }
            data.append(chunk)
        }
    }
}

/// `read(2)`, named apart from `InputFile.read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

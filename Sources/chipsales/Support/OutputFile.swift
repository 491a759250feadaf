import Foundation

/// The file a command's `--output` names.
enum OutputFile {
    /// Writes `text` and a final newline to `path`, replacing the file.
    ///
    /// - Throws: `CommandFailure` (usage) when the file cannot be written.
    static func write(_ text: String, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data((text + "\n").utf8)) else {
            throw CommandFailure(message: "cannot write \(path)", status: .usage)
        }
    }
}

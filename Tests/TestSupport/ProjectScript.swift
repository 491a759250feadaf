import Foundation

/// A script of the repository's `scripts/` folder, run to its end with
/// bash, outside any test database (`DATABASE_URL` removed: the script starts
/// what it needs).
public struct ProjectScript {
    /// What the script printed (standard output and standard error, interleaved).
    public let output: String
    public let status: Int32

    /// The repository's root folder.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `scripts/NAME ARGUMENTS…` and waits for it.
    public static func run(_ name: String, _ arguments: String...) throws -> ProjectScript {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("scripts/\(name)").path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DATABASE_URL")
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return ProjectScript(output: output, status: process.terminationStatus)
    }
}

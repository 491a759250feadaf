import Foundation
import Testing
import TestSupport

@Suite("Reliability soak (small scale)")
struct SoakTests {
    /// scripts/soak --small: concurrent repeated order entry, runs killed with
    /// SIGKILL, two runs at once, cancellations racing a run, the server
    /// restarted under an import, and a corpus of bad input against a dump.
    @Test("scripts/soak --small passes every check", .timeLimit(.minutes(10)))
    func soak() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("scripts/soak").path, "--small"]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "DATABASE_URL")
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(output)")
        #expect(output.contains("soak: all checks passed"), "\(output)")
        #expect(!output.contains("FAIL"), "\(output)")
    }
}

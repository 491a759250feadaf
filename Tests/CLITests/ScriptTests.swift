import Foundation
import Testing
import TestSupport

/// What the scripts tell a newcomer: lines that can be pasted, skipped
/// tests named, the migration that must come first.
@Suite("scripts: hints a newcomer can follow")
struct ScriptTests {
    /// Runs `bash -c script` with arguments; returns (status, stdout, stderr).
    func bash(_ script: String, _ arguments: [String] = [], environment: [String: String] = [:]) throws -> CommandOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script, "bash"] + arguments
        process.currentDirectoryURL = ProjectScript.root
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let (outData, errData) = readToEnd(out, err)
        process.waitUntilExit()
        return CommandOutput(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    @Test("the demo's closing hint can be pasted into a shell: the URL survives `&`, `?` and quotes, the binary path works")
    func demoHint() throws {
        let url = "postgresql:///chipsales_demo?host=/tmp/a folder&port=5432&user=o'brien"
        let binary = try #require(ProcessInfo.processInfo.environment["CHIPSALES_BIN"], "CHIPSALES_BIN is set by scripts/test")
        let hint = try bash(". scripts/demo.d/hint.sh; demo_hint \"$1\" \"$2\"", [url, binary])
        #expect(hint.status == 0, "\(hint.stderr)")
        let lines = hint.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let export = try #require(lines.first { $0.hasPrefix("export DATABASE_URL=") })
        let pasted = try bash("\(export); printf '%s' \"$DATABASE_URL\"")
        #expect(pasted.stdout == url)
        let command = try #require(lines.first { $0.hasSuffix(" allocate history") })
        let word = try bash("set -- \(command); printf '%s' \"$1\"")
        #expect(word.stdout == binary)
        #expect(FileManager.default.isExecutableFile(atPath: word.stdout))
    }

    @Test("the last line of scripts/test names every skipped test, and says when none was")
    func skippedTestsNamed() throws {
        let log = try Fixtures.file("test.log", """
            ◇ Test run started.
            \u{1B}[90m➜\u{1B}[0m Test "headless Chromium draws every chart bar and clips no label" skipped: "needs Chromium (apt-get install chromium); CI installs it"
            ✔ Test "every report prints as a table" passed after 1.2 seconds.
            ✔ Test run with 120 tests in 30 suites passed after 90.1 seconds.

            """)
        let skipped = try bash("scripts/test.d/summary \"$1\" 0", [log])
        #expect(skipped.stdout == """
            scripts/test: all tests passed; 1 skipped: "headless Chromium draws every chart bar and clips no label" \
            (needs Chromium (apt-get install chromium); CI installs it)

            """)
        let clean = try Fixtures.file("test.log", "✔ Test run with 120 tests in 30 suites passed after 90.1 seconds.\n")
        #expect(try bash("scripts/test.d/summary \"$1\" 0", [clean]).stdout == "scripts/test: all tests passed; none skipped\n")
        #expect(try bash("scripts/test.d/summary \"$1\" 1", [clean]).stdout == "scripts/test: FAILED (exit 1); none skipped\n")
    }

    @Test("scripts/db url says to run `chipsales db migrate` first on a database without the schema, and only then")
    func dbURLHint() throws {
        let empty = try TestDatabase.make(migrated: false)
        defer { empty.drop() }
        let bare = try bash("scripts/db url", environment: ["DATABASE_URL": empty.url])
        #expect(bare.status == 0 && bare.stdout == empty.url + "\n")
        #expect(bare.stderr.contains("run `chipsales db migrate` first"), "\(bare.stderr)")
        let quiet = try bash("scripts/db url --no-hint", environment: ["DATABASE_URL": empty.url])
        #expect(quiet.stdout == empty.url + "\n" && quiet.stderr.isEmpty, "\(quiet.stderr)")
        let migrated = try TestDatabase.make()
        defer { migrated.drop() }
        let ready = try bash("scripts/db url", environment: ["DATABASE_URL": migrated.url])
        #expect(ready.status == 0 && ready.stderr.isEmpty, "\(ready.stderr)")
    }
}

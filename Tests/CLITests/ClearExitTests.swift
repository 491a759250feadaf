import Foundation
import Testing
import TestSupport

/// Inputs and outputs that once crashed the binary or failed silently: each
/// must end in one clear line on stderr and a documented status.
@Suite("Clear exits instead of crashes and silent failures")
struct ClearExitTests {
    func seeded() throws -> TestDatabase {
        let database = try TestDatabase.make()
        try Fixtures.seed(try database.connect())
        return database
    }

    /// One line on stderr from chipsales (or the argument parser), no trap.
    func expectOneClearLine(_ output: CommandOutput, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!output.stderr.contains("Fatal error") && !output.stderr.contains("crashed"),
                "\(arguments): \(output.stderr)", sourceLocation: sourceLocation)
        #expect(output.stderr.hasPrefix("chipsales: ") || output.stderr.hasPrefix("Error: "),
                "\(arguments): \(output.stderr)", sourceLocation: sourceLocation)
    }

    @Test("a directory or a missing file given as input exits 66 naming it; nothing is stored")
    func inputThatIsNotAFile() throws {
        let database = try seeded()
        defer { database.drop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let missing = folder.appendingPathComponent("missing.csv").path
        let cases: [[String]] = [
            ["order", "import", folder.path], ["supply", "import", folder.path], ["allocate", "simulate", folder.path],
            ["order", "import", missing], ["supply", "import", missing], ["allocate", "simulate", missing],
        ]
        for arguments in cases {
            let output = try runChipsales(arguments, environment: ["DATABASE_URL": database.url])
            #expect(output.status == 66, "\(arguments): \(output.stderr)")
            expectOneClearLine(output, arguments)
            #expect(output.stderr.split(separator: "\n").count == 1, "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains(arguments[2]), "\(arguments): \(output.stderr)")
        }
        let connection = try database.connect()
        #expect(try Fixtures.count("orders", connection) == 0)
        #expect(try Fixtures.count("supply_capacity", connection) == 0)
        let noSchema = try runChipsales(["db", "migrate", "--schema-dir", missing], environment: ["DATABASE_URL": database.url])
        #expect(noSchema.status == 66, "\(noSchema.stderr)")
    }

    @Test("extreme numbers typed on the command line exit 64 or 65 with one line, never a trap")
    func extremeNumbers() throws {
        let database = try seeded()
        defer { database.drop() }
        let smallest = String(Int64.min), largest = String(Int64.max), beyond = "9223372036854775808"
        let cases: [[String]] = [
            ["inventory", "adjust", "--sku", "TRN3", "--quantity", smallest, "--reason", "count"],
            ["inventory", "adjust", "--sku", "TRN3", "--quantity", largest, "--reason", "count"],
            ["inventory", "adjust", "--sku", "TRN3", "--quantity", beyond, "--reason", "count"],
            ["inventory", "receive", "--sku", "TRN3", "--quantity", largest],
            ["inventory", "receive", "--sku", "TRN3", "--quantity", smallest],
            ["inventory", "show", "--movements", "--limit", "-1"],
            ["inventory", "show", "--movements", "--limit=-1"],
            ["allocate", "history", "--limit=-1"],
            ["supply", "set", "--sku", "TRN3", "--week", "2026-W50", "--quantity", largest],
            ["supply", "set", "--sku", "TRN3", "--week", "999999999999-W01", "--quantity", "16"],
            ["policy", "set", "--frozen-weeks", largest],
            ["policy", "set", "--history-weeks", smallest],
            ["policy", "set", "--internal-floor", "1e400"],
            ["customer", "add", "--id", "big", "--name", "B", "--country", "DE", "--tier", largest],
            ["customer", "set", "helios-dc", "--minimum", "TRN3=\(largest)"],
            ["product", "add", "--sku", "X1", "--name", "x", "--lot-size", largest, "--unit-price", "1"],
            ["allocate", "history", "--limit", "-1"],
            ["allocate", "explain", largest],
            ["allocate", "explain", smallest],
            ["allocate", "diff", smallest, largest],
            ["allocate", "run", "--as-of", "99999999-W01", "--dry-run"],
            ["report", "capacity", "--from", "0000-W01"],
            ["allocate", "generate-scenario", "--lines", largest],
            ["product", "list", "--connect-timeout", largest],
            ["product", "list", "--statement-timeout", largest],
        ]
        for arguments in cases {
            let output = try runChipsales(arguments, environment: ["DATABASE_URL": database.url])
            #expect(output.status == 64 || output.status == 65, "\(arguments): \(output.status) \(output.stderr)")
            expectOneClearLine(output, arguments)
            #expect(!output.stderr.contains("SQLSTATE"), "\(arguments): \(output.stderr)")
        }
        let connection = try database.connect()
        #expect(try Fixtures.count("inventory_movements", connection) == 0)
        #expect(try Fixtures.count("supply_capacity", connection) == 0)
        #expect(try Fixtures.count("products", connection) == 3)
        #expect(try Fixtures.count("customers", connection) == 4)
    }

    @Test("results that cannot be written to standard output (a full disk) exit 74, never 0")
    func fullStandardOutput() throws {
        let database = try seeded()
        defer { database.drop() }
        let full = try FullDevice.path()
        let env = ["DATABASE_URL": database.url]
        let cases: [[String]] = [
            ["product", "list"], ["product", "list", "--format", "json"], ["customer", "list", "--format", "csv"],
            ["report", "inventory"], ["report", "inventory", "--format", "html"],
            ["allocate", "generate-scenario", "--lines", "2000"], ["allocate", "simulate", "--help"], ["--help"],
        ]
        for arguments in cases {
            let output = try runChipsales(arguments, environment: env, standardOutputPath: full)
            #expect(output.status == 74, "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains("cannot write to standard output: No space left on device"), "\(arguments): \(output.stderr)")
            expectOneClearLine(output, arguments)
        }
        #expect(FullDevice.isCharacterDevice(full))
    }

    @Test("--output on a full device exits 74; on a folder 73; a regular file is replaced whole")
    func outputFiles() throws {
        let database = try seeded()
        defer { database.drop() }
        let full = try FullDevice.path()
        let env = ["DATABASE_URL": database.url]
        for arguments in [
            ["report", "inventory", "--format", "html", "--output", full],
            ["allocate", "generate-scenario", "--lines", "50", "--output", full],
        ] {
            let output = try runChipsales(arguments, environment: env)
            #expect(output.status == 74, "\(arguments): \(output.stderr)")
            #expect(output.stderr.contains("No space left on device"), "\(arguments): \(output.stderr)")
            #expect(!output.stderr.contains("wrote"), "\(arguments): \(output.stderr)")
        }
        #expect(FullDevice.isCharacterDevice(full))

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let intoFolder = try runChipsales(["report", "inventory", "--output", folder.path], environment: env)
        #expect(intoFolder.status == 73, "\(intoFolder.stderr)")
        let nowhere = try runChipsales(["report", "inventory", "--output", folder.path + "/no/such/folder/r.txt"], environment: env)
        #expect(nowhere.status == 73, "\(nowhere.stderr)")

        let file = folder.appendingPathComponent("report.csv").path
        try Data("old contents\n".utf8).write(to: URL(fileURLWithPath: file))
        let written = try runChipsales(["report", "inventory", "--format", "csv", "--output", file], environment: env)
        #expect(written.status == 0, "\(written.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("sku,"))
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["report.csv"])
    }

    @Test("a reader that goes away early ends the command quietly by SIGPIPE, as for any filter")
    func closedPipe() throws {
        let process = try runChipsalesIntoClosedPipe(["allocate", "generate-scenario", "--lines", "200000"])
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGPIPE,
                "status \(process.terminationStatus)")
    }

    @Test("with SIGPIPE ignored, a closed pipe is a write error: exit 74 and one line, not exit 0")
    func closedPipeWithSignalIgnored() throws {
        let binary = try #require(ProcessInfo.processInfo.environment["CHIPSALES_BIN"], "CHIPSALES_BIN is set by scripts/test")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        // An ignored signal stays ignored in the children: chipsales gets EPIPE instead.
        shell.arguments = ["-c", "trap '' PIPE; \"$1\" allocate generate-scenario --lines 200000 2>\"$2\" | head -c 10 >/dev/null; echo ${PIPESTATUS[0]}",
                           "bash", binary, try Fixtures.file("stderr.txt", "")]
        let out = Pipe()
        shell.standardOutput = out
        try shell.run()
        let status = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        let stderr = try String(contentsOfFile: shell.arguments![4], encoding: .utf8)
        #expect(status.trimmingCharacters(in: .whitespacesAndNewlines) == "74", "\(status) \(stderr)")
        #expect(stderr == "chipsales: cannot write to standard output: Broken pipe\n", "\(stderr)")
    }
}

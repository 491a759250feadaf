import Foundation
import Testing
import TestSupport

/// Long commands show one updating progress line when stderr is a terminal
/// (a pseudo-terminal made by script(1) here), and nothing otherwise or with
/// `--quiet`.
@Suite("progress lines")
struct ProgressTests {
    /// Runs chipsales under script(1): stderr is a pseudo-terminal, stdout
    /// goes to `output`. Returns the status and what the terminal showed.
    static func onTerminal(_ arguments: [String], output: String, environment: [String: String] = [:]) throws -> (status: Int32, terminal: String) {
        let binary = ProcessInfo.processInfo.environment["CHIPSALES_BIN"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/chipsales").path
        func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = ([binary] + arguments).map(quoted).joined(separator: " ") + " > " + quoted(output)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-q", "-e", "-c", command, "/dev/null"]
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let shown = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: shown, as: UTF8.self))
    }

    static func scenario() throws -> String {
        let generated = try runChipsales(["allocate", "generate-scenario", "--lines", "3000", "--customers", "20", "--seed", "4"])
        return try Fixtures.file("scenario.json", generated.stdout)
    }

    @Test("allocate simulate: its phases on a terminal, the line cleared at the end, the same result; nothing when stderr is not a terminal")
    func simulate() throws {
        let file = try Self.scenario()
        let plain = try runChipsales(["allocate", "simulate", file])
        #expect(plain.status == 0 && plain.stderr.isEmpty, "\(plain.stderr)")
        let output = file + ".result"
        let shown = try Self.onTerminal(["allocate", "simulate", file], output: output)
        #expect(shown.status == 0)
        for phase in ["\rreading the scenario: ", " MB of ", "\rallocating 3,000 order lines", "\rwriting the result"] {
            #expect(shown.terminal.contains(phase), "\(phase) in \(shown.terminal.debugDescription)")
        }
        #expect(shown.terminal.hasSuffix("\r\u{1B}[K"), "\(shown.terminal.debugDescription)")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == plain.stdout)
    }

    @Test("--quiet shows nothing, even on a terminal")
    func quiet() throws {
        let file = try Self.scenario()
        let shown = try Self.onTerminal(["allocate", "simulate", "--quiet", file], output: file + ".result")
        #expect(shown.status == 0 && shown.terminal.isEmpty, "\(shown.terminal.debugDescription)")
    }

    @Test("order and supply imports, allocate run and export-scenario show progress to an operator on a terminal, and nothing in a pipe")
    func databaseCommands() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        try Fixtures.seed(try database.connect())
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.dropRole(login) }
        let env = ["DATABASE_URL": database.url(asUser: login)]
        let week = Weeks.text(1)
        let supply = try Fixtures.file("supply.csv", "sku,week,quantity\nTRN3,\(week),40000\n")
        let orders = try Fixtures.file("orders.csv", "customer,reference,line,sku,quantity,week\nhelios-dc,PO-1,1,TRN3,512,\(week)\n")
        let output = orders + ".out"
        let steps: [([String], [String])] = [
            (["supply", "import", supply], ["\rreading supply rows", "\rchecking and storing supply rows"]),
            (["order", "import", orders], ["\rreading order rows", "\rchecking and storing order rows"]),
            (["allocate", "run", "--as-of", week], ["\rreading the plan's input", "\rallocating 1 order line", "\rstoring the run"]),
            (["allocate", "export-scenario", "--as-of", week], ["\rreading the plan's input", "\rwriting 1 order line"]),
        ]
        for (arguments, phases) in steps {
            let shown = try Self.onTerminal(arguments, output: output, environment: env)
            #expect(shown.status == 0, "\(arguments): \(shown.terminal)")
            for phase in phases { #expect(shown.terminal.contains(phase), "\(arguments): \(phase) in \(shown.terminal.debugDescription)") }
            #expect(shown.terminal.hasSuffix("\r\u{1B}[K"), "\(arguments): \(shown.terminal.debugDescription)")
            let quiet = try Self.onTerminal(arguments + ["--quiet"], output: output, environment: env)
            #expect(quiet.status == 0 && !quiet.terminal.contains("\r"), "\(arguments): \(quiet.terminal.debugDescription)")
            let piped = try runChipsales(arguments, environment: env)
            #expect(piped.status == 0 && !piped.stderr.contains("\r"), "\(arguments): \(piped.stderr.debugDescription)")
        }
    }
}

@Suite("shell completion")
struct CompletionTests {
    @Test("the completion script the README names is printed for bash, zsh and fish, and knows the new --quiet", arguments: ["bash", "zsh", "fish"])
    func completion(shell: String) throws {
        let output = try runChipsales(["--generate-completion-script", shell])
        #expect(output.status == 0 && output.stdout.contains("simulate") && output.stdout.contains("quiet"), "\(output.stderr)")
    }
}

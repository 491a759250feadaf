import Database
import Foundation

/// A PostgreSQL cluster of a test's own, made and run by `scripts/db` in a
/// fresh folder (for a standby, a stopped primary, a backup and a restore,
/// which the shared server of scripts/test must not go through). `destroy()`
/// stops everything it started and deletes the folder.
public struct PrivateCluster: Sendable {
    /// The folder scripts/db keeps it in (`CHIPSALES_PGDATA`).
    public let folder: String
    /// Extra environment for scripts/db (e.g. `CHIPSALES_STANDBY_DELAY`).
    public let environment: [String: String]

    /// What a scripts/db command printed, and its status.
    public struct ScriptFailure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Creates and starts the cluster (`scripts/db start`).
    public static func start(environment: [String: String] = [:]) throws -> PrivateCluster {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("chipsales-cluster-\(UUID().uuidString.prefix(8).lowercased())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let cluster = PrivateCluster(folder: folder, environment: environment)
        try cluster.script("start")
        return cluster
    }

    /// Runs `scripts/db` with these arguments for this cluster; throws
    /// when it exits non-zero.
    @discardableResult
    public func script(_ arguments: String...) throws -> String {
        let result = try run(arguments)
        guard result.status == 0 else {
            throw ScriptFailure(description: "scripts/db \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `scripts/db` with these arguments; returns whatever it did.
    public func run(_ arguments: [String]) throws -> CommandOutput {
        let process = Process()
        process.executableURL = ProjectScript.root.appendingPathComponent("scripts/db")
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        env["CHIPSALES_PGDATA"] = folder
        env["CHIPSALES_PG_FSYNC"] = "off"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let (outData, errData) = readToEnd(out, err)
        return CommandOutput(status: try Self.exitStatus(of: process), stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The exit status of a script whose output has ended, waiting at most
    /// 60 s. It reaps the child itself when Foundation has not noticed the
    /// exit (seen here when clusters start in two tests at once: the script
    /// stayed a zombie and `waitUntilExit` never returned).
    static func exitStatus(of process: Process) throws -> Int32 {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if !process.isRunning { return process.terminationStatus }
            var status: Int32 = 0
            let reaped = waitpid(process.processIdentifier, &status, WNOHANG)
            if reaped == process.processIdentifier {
                // WIFEXITED / WEXITSTATUS, which Swift does not import.
                return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ScriptFailure(description: "scripts/db did not exit within 60 s of closing its output")
    }

    /// The primary's URL (as the superuser `postgres`).
    public func url() throws -> String { try script("url", "--no-hint") }

    /// Starts a hot standby of it and returns the standby's URL.
    public func startStandby() throws -> String {
        try script("replica", "start")
        return try script("replica", "url")
    }

    /// Stops everything and deletes the folder.
    public func destroy() {
        _ = try? run(["destroy"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// `url` for another login (`user=` in the URI's query).
    public static func url(_ url: String, asUser user: String) -> String {
        url.replacingOccurrences(of: "user=postgres", with: "user=\(user)")
    }

    /// Waits, at most `seconds`, until the standby at `standby` has replayed
    /// everything the primary at `primary` has written so far.
    public static func waitForReplay(primary: String, standby: String, seconds: Double = 30) throws {
        let written: String = try Connection(configuration: ConnectionConfiguration(connectionString: primary))
            .queryFirst("SELECT pg_current_wal_lsn()::text AS lsn")!.decode("lsn")
        let reader = try Connection(configuration: ConnectionConfiguration(connectionString: standby))
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let caughtUp: Bool = try reader.queryFirst(
                "SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS done", [written])!.decode("done")
            if caughtUp { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ScriptFailure(description: "the standby did not replay up to \(written) in \(seconds) s")
    }
}

import Foundation

/// What running the `chipsales` binary produced.
public struct CommandOutput: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// Runs the built `chipsales` binary (`CHIPSALES_BIN`, set by scripts/test)
/// as a user would, with the given arguments, environment additions and input.
public func runChipsales(
    _ arguments: [String], environment: [String: String] = [:], input: String? = nil
) throws -> CommandOutput {
    let process = chipsalesProcess(arguments, environment: environment)
    let out = Pipe(), err = Pipe(), inPipe = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inPipe
    try process.run()
    if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try inPipe.fileHandleForWriting.close()
    let (outData, errData) = readToEnd(out, err)
    process.waitUntilExit()
    return CommandOutput(
        status: process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// A child's standard output and standard error, each read to its end at
/// the same time, so a large output on one cannot block the child while the
/// other is read.
public func readToEnd(_ out: Pipe, _ err: Pipe) -> (out: Data, err: Data) {
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    return (outData, errData)
}

/// Starts the `chipsales` binary without waiting for it (for lock, kill and
/// race tests); its output is discarded.
public func startChipsales(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
    let process = chipsalesProcess(arguments, environment: environment)
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
}

/// The built binary (`CHIPSALES_BIN`, set by scripts/test) with these
/// arguments, in this environment plus `environment` (without the caller's
/// DATABASE_URL, so each test names its own database).
private func chipsalesProcess(_ arguments: [String], environment: [String: String]) -> Process {
    let process = Process()
    let binary = ProcessInfo.processInfo.environment["CHIPSALES_BIN"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/chipsales").path
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "DATABASE_URL")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    return process
}

/// Runs the binary with its standard output sent to `path` (a file or a
/// device such as a full one), and returns its status and standard error.
public func runChipsales(
    _ arguments: [String], environment: [String: String] = [:], standardOutputPath path: String
) throws -> CommandOutput {
    let process = chipsalesProcess(arguments, environment: environment)
    guard let output = FileHandle(forWritingAtPath: path) else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
    }
    defer { try? output.close() }
    let err = Pipe()
    process.standardOutput = output
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandOutput(status: process.terminationStatus, stdout: "", stderr: String(decoding: errData, as: UTF8.self))
}

/// Runs the binary with a standard output whose reader has gone (as when
/// `head` exits early) and returns the process after it ended.
public func runChipsalesIntoClosedPipe(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
    let process = chipsalesProcess(arguments, environment: environment)
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    try out.fileHandleForReading.close()
    _ = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return process
}

/// A `chipsales` process started without waiting, whose output is kept.
public final class RunningChipsales: @unchecked Sendable {
    public let process: Process
    let out: Pipe
    let err: Pipe
    var outData = Data()
    var errData = Data()
    let group = DispatchGroup()

    init(process: Process, out: Pipe, err: Pipe) {
        self.process = process
        self.out = out
        self.err = err
        group.enter()
        DispatchQueue.global().async {
            self.outData = out.fileHandleForReading.readDataToEndOfFile()
            self.group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            self.errData = err.fileHandleForReading.readDataToEndOfFile()
            self.group.leave()
        }
    }

    /// Waits for it to end; returns its status and output.
    public func finish() -> CommandOutput {
        group.wait()
        let status = (try? PrivateCluster.exitStatus(of: process)) ?? -1
        return CommandOutput(status: status, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Starts the `chipsales` binary without waiting for it, keeping its output.
public func startChipsalesCapturing(_ arguments: [String], environment: [String: String] = [:]) throws -> RunningChipsales {
    let process = chipsalesProcess(arguments, environment: environment)
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return RunningChipsales(process: process, out: out, err: err)
}

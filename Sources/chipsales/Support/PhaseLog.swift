import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// `--verbose` timing of a command's phases on stderr: each line says what
/// was done, how long it took and the process's peak memory so far, e.g.
/// `read 1000000 order lines (134695984 bytes): 1.02 s, peak memory 301 MiB`.
struct PhaseLog {
    let isOn: Bool
    private let clock = ContinuousClock()
    private let began: ContinuousClock.Instant
    private let last: Box

    private final class Box { var instant: ContinuousClock.Instant; init(_ i: ContinuousClock.Instant) { instant = i } }

    init(isOn: Bool) {
        self.isOn = isOn
        began = clock.now
        last = Box(began)
    }

    /// Logs a phase that just ended.
    func phase(_ what: String) {
        guard isOn else { return }
        let now = clock.now
        let took = Progress.seconds(now - last.instant)
        last.instant = now
        let text = String(format: "%.2f s (%.2f s in all)", took, Progress.seconds(now - began))
        StandardError.line("\(what): \(text), peak memory \(Self.peakMemoryMiB().map { "\($0) MiB" } ?? "unknown")")
    }

    /// The process's peak resident memory (VmHWM), in MiB.
    static func peakMemoryMiB() -> Int? {
        guard let f = fopen("/proc/self/status", "r") else { return nil }
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), f) != nil {
            let text = line.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            if text.hasPrefix("VmHWM:") { return Int(text.dropFirst(6).filter(\.isNumber)).map { $0 / 1024 } }
        }
        return nil
    }
}

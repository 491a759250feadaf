import ArgumentParser
import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Progress of long work on one updating line of stderr: the phase, rows or
/// bytes done, the rate, and the time left when the total is known, e.g.
/// `reading the scenario: 52.1 of 134.7 MB, 61.3 MB/s, 2 s left`.
///
/// Shown only when stderr is a terminal and `--quiet` is not given; off,
/// every call returns at once, so progress costs nothing measurable. On, the
/// line is drawn when a phase starts and redrawn every quarter second by a
/// thread of its own (so a phase without counts still shows its time), and
/// cleared by `finish()`: nothing of it stays in the terminal.
final class Progress: @unchecked Sendable {
    /// What is counted.
    enum Unit { case rows, bytes }

    /// False when nothing is shown.
    let isShown: Bool
    private let lock = NSLock()
    private var phase = ""
    private var unit = Unit.rows
    private var total: Int?
    private var done = 0
    private var drawn = false
    /// Which redrawing thread may draw (a new one per `start` after `finish`).
    private var generation = 0
    private var ticking = false
    private let clock = ContinuousClock()
    private var started: ContinuousClock.Instant

    /// Shown when stderr is a terminal and not `quiet`.
    init(quiet: Bool) {
        isShown = !quiet && isatty(STDERR_FILENO) != 0
        started = clock.now
    }

    /// Starts a phase (and draws it): `total` rows or bytes when known.
    func start(_ phase: String, total: Int? = nil, unit: Unit = .rows) {
        guard isShown else { return }
        lock.lock()
        defer { lock.unlock() }
        self.phase = phase
        self.total = total
        self.unit = unit
        done = 0
        started = clock.now
        draw()
        if !ticking {
            ticking = true
            generation += 1
            let mine = generation
            Thread { [self] in tick(mine) }.start()
        }
    }

    /// Rows or bytes done so far in the phase.
    @inline(__always)
    func advance(to done: Int) {
        guard isShown else { return }
        lock.lock()
        self.done = done
        lock.unlock()
    }

    /// Clears the line (the work is done, or failed) and stops redrawing.
    func finish() {
        guard isShown else { return }
        lock.lock()
        defer { lock.unlock() }
        ticking = false
        phase = ""
        if drawn {
            Self.show("\r\u{1B}[K")
            drawn = false
        }
    }

    /// A callback counting rows or bytes, or `nil` when nothing is shown (so
    /// a hot loop pays nothing).
    var counter: ((Int) -> Void)? {
        isShown ? { [self] in advance(to: $0) } : nil
    }

    private func tick(_ mine: Int) {
        while true {
            Thread.sleep(forTimeInterval: 0.25)
            lock.lock()
            defer { lock.unlock() }
            guard ticking, generation == mine else { return }
            draw()
        }
    }

    /// Draws the line; the lock is held.
    private func draw() {
        guard !phase.isEmpty else { return }
        let seconds = Self.seconds(clock.now - started)
        var text = phase
        if done > 0 || total != nil {
            text += ": " + amount(done)
            if let total { text += " of " + amount(total) }
            if seconds >= 0.5, done > 0 {
                let rate = Double(done) / seconds
                text += ", " + amount(Int(rate)) + "/s"
                if let total, total > done { text += ", \(Int(Double(total - done) / rate) + 1) s left" }
            }
        }
        if seconds >= 1 { text += " (\(Int(seconds)) s)" }
        Self.show("\r" + text + "\u{1B}[K")
        drawn = true
    }

    private func amount(_ n: Int) -> String {
        switch unit {
        case .rows: return n.grouped + (n == 1 ? " row" : " rows")
        case .bytes:
            let tenths = n * 10 / 1_000_000
            return "\(tenths / 10).\(tenths % 10) MB"
        }
    }

    /// Writes to stderr's descriptor directly (unbuffered, whatever C's `stderr` holds).
    private static func show(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// `1` as `1 order line`, `3000` as `3,000 order lines`.
    static func orderLines(_ n: Int) -> String { n.grouped + (n == 1 ? " order line" : " order lines") }


    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// `--quiet`, for the commands that show progress.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .long, help: "Show no progress line (it is shown only when stderr is a terminal).")
    var quiet = false

    /// The progress line for this command.
    func progress() -> Progress { Progress(quiet: quiet) }
}

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
        let script = try ProjectScript.run("soak", "--small")
        let output = script.output
        #expect(script.status == 0, "\(output)")
        #expect(output.contains("soak: all checks passed"), "\(output)")
        #expect(!output.contains("FAIL"), "\(output)")
    }
}

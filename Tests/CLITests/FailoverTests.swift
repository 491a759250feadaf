import Foundation
import Testing
import TestSupport

@Suite("Automatic failover (pg_auto_failover)")
struct FailoverTests {
    /// scripts/ha test: a formation of its own (a monitor, two data nodes,
    /// synchronous replication); 4 writers enter orders through the
    /// multi-host URL, the primary's keeper and postmaster are killed with
    /// SIGKILL mid-stream, the standby is promoted, and every acknowledged
    /// order is on the new primary exactly once.
    @Test("scripts/ha test loses and duplicates no acknowledged order across a killed primary", .timeLimit(.minutes(10)))
    func failover() throws {
        let script = try ProjectScript.run("ha", "test")
        let output = script.output
        #expect(script.status == 0, "\(output)")
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        let pattern = #/^acknowledged: (\d+), lost: 0, duplicated: 0, failover: [0-9.]+ s$/#
        let match = try #require(last.wholeMatch(of: pattern), "\(output)")
        // Every writer got orders in before and after the kill.
        #expect(Int(match.1) == 160, "\(output)")
        #expect(output.contains("PASS") && !output.contains("FAIL"), "\(output)")
        #expect(output.contains("All invariants hold"), "\(output)")
    }
}

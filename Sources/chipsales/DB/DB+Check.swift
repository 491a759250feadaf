import ArgumentParser
import Foundation
import Store

extension DB {
    /// `chipsales db check`
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify every invariant on the stored data; exit 1 naming any violation.",
            discussion: """
                Checks: the current plan's allocations within each week's available stock and within \
                each line's open quantity, whole lots everywhere, stock never negative and equal to the \
                ledger, shipped quantities equal to the ledger's shipments.

                Example:
                  chipsales db check
                """)
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let violations = try InvariantCheck(try database.connect()).violations()
            if violations.isEmpty {
                StandardOutput.line("All invariants hold.")
                return
            }
            for violation in violations { StandardOutput.line(violation) }
            StandardError.line("chipsales: \(violations.count) invariant violation\(violations.count == 1 ? "" : "s") found")
            throw ExitCode(1)
        }
    }
}

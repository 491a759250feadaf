import ArgumentParser
import Foundation
import Domain
import Store

extension DB {
    /// `chipsales db check`
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify every invariant on the stored data; exit 1 naming any violation.",
            discussion: """
                Checks: the current plan's allocations within each week's available stock and within \
                each line's open quantity, whole lots everywhere, stock never negative and equal to the \
                ledger, shipped quantities equal to the ledger's shipments, and every shipment within \
                what the plan had due for its week unless it was marked beyond the plan, and every order \
                with at least one line. Shipments made \
                beyond the plan (order ship --beyond-plan) are listed as warnings: they break no \
                invariant, so the exit status stays 0.

                Example:
                  chipsales db check
                """)
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let check = InvariantCheck(try database.connect())
            let violations = try check.violations()
            let warnings = try check.warnings()
            // A message may quote stored text (a reference, a note) written before the text rules.
            for warning in warnings { StandardOutput.line("warning: \(TextRules.printable(warning))") }
            if violations.isEmpty {
                StandardOutput.line("All invariants hold\(warnings.isEmpty ? "" : " (\(warnings.count) warning\(warnings.count == 1 ? "" : "s") above)").")
                return
            }
            for violation in violations { StandardOutput.line(TextRules.printable(violation)) }
            StandardError.line("chipsales: \(violations.count) invariant violation\(violations.count == 1 ? "" : "s") found")
            throw ExitCode(1)
        }
    }
}

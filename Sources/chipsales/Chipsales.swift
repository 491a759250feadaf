import ArgumentParser
import Foundation

/// The operator CLI: order entry, lookups, the allocation job and reports.
@main
struct Chipsales: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chipsales",
        abstract: "Orders, inventory and allocation of scarce accelerator supply.",
        discussion: """
            Connects to PostgreSQL with --database-url, else DATABASE_URL, else libpq's \
            PG* variables (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSFILE, PGSSLMODE …).

            Exit status: 0 success, 64 usage error (a value on the command line that cannot be \
            parsed), 65 bad data (a value refused, a conflict with what is stored, or a bad file), \
            66 input file missing or unreadable, 69 database unavailable, 70 internal error, 73 output \
            file cannot be created, 74 output cannot be written, 75 temporary failure (try again), 78 \
            database schema missing or behind (run chipsales db migrate).
            """,
        version: "0.1.0",
        subcommands: [
            ProductCommand.self, CustomerCommand.self, SupplyCommand.self, InventoryCommand.self, OrderCommand.self,
            PolicyCommand.self, AllocateCommand.self, ReportCommand.self, DB.self,
        ]
    )

    /// Runs the command line and turns every error into one clear line on
    /// stderr and a sysexits-style status. Results are flushed and checked
    /// before the status is decided: output that could not be written is a
    /// failure (exit 74), never a silent truncation. A command that does
    /// long work (`allocate run`) is an `AsyncParsableCommand` and is awaited.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var long = command as? AsyncParsableCommand {
                try await long.run()
            } else {
                try command.run()
            }
            try StandardOutput.finish()
        } catch {
            if let failure = CommandFailure(error) { fail(failure) }
            // The argument parser's own outcomes: help, version, usage errors, ExitCode.
            let message = fullMessage(for: error)
            let code = exitCode(for: error)
            if code == .success {
                if !message.isEmpty { StandardOutput.line(message) }
            } else if !message.isEmpty {
                StandardError.line(message)
            }
            do {
                try StandardOutput.finish()
            } catch {
                fail(CommandFailure(error) ?? CommandFailure(message: "\(error)", status: .software))
            }
            Foundation.exit(code.rawValue)
        }
        Foundation.exit(0)
    }

    static func fail(_ failure: CommandFailure) -> Never {
        // What was printed before the failure still goes out; its own write
        // error, if any, is secondary to this one.
        try? StandardOutput.finish()
        StandardError.line("chipsales: \(failure.message)")
        Foundation.exit(failure.status.rawValue)
    }
}

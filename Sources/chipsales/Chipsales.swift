import ArgumentParser
import Foundation

/// The operator CLI: order entry, lookups, the allocation job and reports.
@main
struct Chipsales: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chipsales",
        abstract: "Orders, inventory and allocation of scarce accelerator supply.",
        discussion: """
            Connects to PostgreSQL with --database-url, else DATABASE_URL, else libpq's \
            PG* variables (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSFILE, PGSSLMODE …).

            Exit status: 0 success, 64 usage error (a value typed that cannot be read), 65 bad data, \
            66 input file missing, 69 database unavailable, \
            75 temporary conflict (try again), 70 internal error.
            """,
        version: "0.1.0",
        subcommands: [
            ProductCommand.self, CustomerCommand.self, SupplyCommand.self, InventoryCommand.self, OrderCommand.self,
            PolicyCommand.self, AllocateCommand.self, ReportCommand.self, DB.self,
        ]
    )

    /// Runs the command line and turns every error into one clear line on
    /// stderr and a sysexits-style status.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard let failure = CommandFailure(error) else {
                exit(withError: error)
            }
            FileHandle.standardError.write(Data("chipsales: \(failure.message)\n".utf8))
            Foundation.exit(failure.status.rawValue)
        }
    }
}

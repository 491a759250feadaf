import ArgumentParser
import Foundation
import Store

extension DB {
    /// `chipsales db status`
    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List applied and pending migrations.",
            discussion: """
                Example:
                  chipsales db status
                """
        )

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var schema: SchemaOptions

        func run() throws {
            let migrator = Migrator(migrations: try schema.load(), logger: database.logger)
            let connection = try database.connect(checkingSchema: false)
            let entries = try migrator.status(on: connection)
            var table = TextTable(headers: ["STATE", "VERSION", "NAME", "APPLIED AT (UTC)"])
            let formatter = ISO8601DateFormatter()
            for entry in entries {
                table.append([
                    entry.isApplied ? "applied" : "pending", String(entry.version), entry.name,
                    entry.appliedAt.map { formatter.string(from: $0) } ?? "-",
                ])
            }
            StandardOutput.line(table.render())
            let pending = entries.filter { !$0.isApplied }.count
            StandardOutput.line("\(entries.count - pending) applied, \(pending) pending.")
        }
    }
}

import ArgumentParser
import Store

extension DB {
    /// `chipsales db migrate`
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply pending migrations, each in its own transaction.",
            discussion: """
                Re-running is a no-op. A migration that was applied and has changed since is \
                refused (exit 65). Concurrent runs wait for each other.

                Example:
                  chipsales db migrate --database-url postgresql:///chipsales
                """
        )

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var schema: SchemaOptions

        func run() throws {
            let migrator = Migrator(migrations: try schema.load(), logger: database.logger)
            let connection = try database.connect(checkingSchema: false)
            let applied = try migrator.migrate(on: connection)
            if applied.isEmpty {
                StandardOutput.line("Database is up to date (\(migrator.migrations.count) migrations applied).")
            } else {
                for name in applied { StandardOutput.line("applied \(name)") }
                StandardOutput.line("Applied \(applied.count) migration\(applied.count == 1 ? "" : "s").")
            }
        }
    }
}

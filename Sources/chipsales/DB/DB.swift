import ArgumentParser
import Foundation
import Store

/// `chipsales db`: schema migrations and checks.
struct DB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Schema migrations and invariant checks.",
        subcommands: [Migrate.self, Status.self, Check.self]
    )
}

/// Where the migration files are.
struct SchemaOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Folder of numbered SQL migrations (default: CHIPSALES_SCHEMA_DIR, else the project's schema/).",
        valueName: "dir"))
    var schemaDir: String?

    func load() throws -> [Migration] {
        let folder: URL
        if let schemaDir {
            folder = URL(fileURLWithPath: schemaDir)
        } else if let found = Migration.locateSchemaFolder() {
            folder = found
        } else {
            throw CommandFailure(
                message: "cannot find the schema/ folder; pass --schema-dir or set CHIPSALES_SCHEMA_DIR",
                status: .usage)
        }
        return try Migration.load(from: folder)
    }
}

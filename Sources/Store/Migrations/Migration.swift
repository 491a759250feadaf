import Foundation

/// One numbered SQL file from `schema/`, such as `001_foundation.sql`.
public struct Migration: Sendable, Equatable {
    /// The number the file name starts with; migrations apply in this order.
    public let version: Int
    /// The file name, e.g. `001_foundation.sql`.
    public let name: String
    /// The SQL text, run as one transaction.
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Reads every `NNN_name.sql` file of a folder, in version order.
    ///
    /// - Throws: `MigrationError.invalidFolder` when the folder cannot be
    ///   read, `.duplicateVersion` when two files share a number.
    public static func load(from folder: URL) throws -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw MigrationError.invalidFolder(path: folder.path)
        }
        var migrations: [Migration] = []
        for name in names where name.hasSuffix(".sql") {
            let digits = name.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let version = Int(digits), name.dropFirst(digits.count).first == "_" else {
                throw MigrationError.badFileName(name)
            }
            let url = folder.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path),
                  let sql = String(data: data, encoding: .utf8) else {
                throw MigrationError.unreadableFile(name)
            }
            if let other = migrations.first(where: { $0.version == version }) {
                throw MigrationError.duplicateVersion(version, other.name, name)
            }
            migrations.append(Migration(version: version, name: name, sql: sql))
        }
        return migrations.sorted { $0.version < $1.version }
    }

    /// Finds the `schema/` folder: `CHIPSALES_SCHEMA_DIR` when set, else the
    /// nearest `schema` folder above the working directory or the executable.
    public static func locateSchemaFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let configured = environment["CHIPSALES_SCHEMA_DIR"], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        let starts = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent(),
        ]
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                let candidate = folder.appendingPathComponent("schema")
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("001_foundation.sql").path) {
                    return candidate
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return nil
    }
}

/// Why migrations could not be applied.
public enum MigrationError: Error, Equatable, CustomStringConvertible {
    /// The schema folder is missing or unreadable.
    case invalidFolder(path: String)
    /// A file in the folder does not follow `NNN_name.sql`.
    case badFileName(String)
    /// A file could not be read as UTF-8 text.
    case unreadableFile(String)
    /// Two files share a version number.
    case duplicateVersion(Int, String, String)
    /// A file that was already applied has changed since.
    case checksumMismatch(name: String, applied: String, current: String)
    /// The database records a migration that the folder does not have.
    case unknownApplied(name: String)

    public var description: String {
        switch self {
        case .invalidFolder(let path):
            "cannot read the schema folder \(path); set CHIPSALES_SCHEMA_DIR to the project's schema/ folder"
        case .badFileName(let name):
            "schema file \(name) must be named NNN_description.sql"
        case .unreadableFile(let name):
            "schema file \(name) cannot be read as UTF-8 text"
        case .duplicateVersion(let version, let first, let second):
            "schema files \(first) and \(second) share version \(version)"
        case .checksumMismatch(let name, let applied, let current):
            "migration \(name) was already applied with checksum \(applied.prefix(12)), but the file now has checksum \(current.prefix(12)); applied migrations must never be edited: restore the file and add a new migration instead"
        case .unknownApplied(let name):
            "the database has migration \(name) applied, but schema/ has no such file; this binary is older than the database"
        }
    }
}

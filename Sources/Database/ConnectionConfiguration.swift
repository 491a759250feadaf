import Foundation
import CLibPQ

/// How to reach the database, and the session settings to pin.
///
/// The connection target is a libpq connection string or URI
/// (`postgresql://user@host:5432/db?sslmode=require`). When it is `nil`,
/// libpq's own `PG*` environment variables and defaults apply, and so do
/// `.pgpass`/`PGPASSFILE` and `sslmode` as libpq documents them.
public struct ConnectionConfiguration: Sendable {
    /// A libpq connection string or URI; `nil` to use the `PG*` variables.
    public var connectionString: String?
    /// Seconds to wait for the connection; `nil` for libpq's default.
    public var connectTimeoutSeconds: Int?
    /// Milliseconds a statement may run before the server cancels it; 0 for no limit.
    public var statementTimeoutMilliseconds: Int
    /// Milliseconds to wait for a lock before giving up; 0 for no limit.
    public var lockTimeoutMilliseconds: Int
    /// Shown in `pg_stat_activity`.
    public var applicationName: String

    public init(
        connectionString: String? = nil,
        connectTimeoutSeconds: Int? = 10,
        statementTimeoutMilliseconds: Int = 0,
        lockTimeoutMilliseconds: Int = 0,
        applicationName: String = "chipsales"
    ) {
        self.connectionString = connectionString
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        self.lockTimeoutMilliseconds = lockTimeoutMilliseconds
        self.applicationName = applicationName
    }

    /// The configuration from the environment: `DATABASE_URL` when set and
    /// not empty, else libpq's `PG*` variables.
    public static func fromEnvironment(
        _ environment: [String: String], override url: String? = nil
    ) -> ConnectionConfiguration {
        if let url, !url.isEmpty { return ConnectionConfiguration(connectionString: url) }
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            return ConnectionConfiguration(connectionString: url)
        }
        return ConnectionConfiguration()
    }

    /// The password the connection string carries, if any, so that messages
    /// can be scrubbed of it.
    var secrets: [String] {
        guard let connectionString else { return [] }
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            return []
        }
        defer { PQconninfoFree(options) }
        var found: [String] = []
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val {
                let text = String(cString: value)
                if !text.isEmpty { found.append(text) }
            }
            option += 1
        }
        return found
    }
}

extension String {
    /// This text with every given secret replaced by `****`.
    func redacting(_ secrets: [String]) -> String {
        var text = self
        for secret in secrets where !secret.isEmpty {
            text = text.replacingAll(secret, with: "****")
        }
        return text
    }

    private func replacingAll(_ target: String, with replacement: String) -> String {
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

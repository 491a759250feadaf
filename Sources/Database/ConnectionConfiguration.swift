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
    /// can be scrubbed of it: as libpq decodes it, and as written in a URI
    /// (percent-encoded).
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
        if let written = Self.uriPassword(connectionString), !written.isEmpty, !found.contains(written) {
            found.append(written)
        }
        return found
    }

    /// Why libpq cannot parse the connection string, scrubbed of everything
    /// the string holds; `nil` when it parses (or there is none).
    ///
    /// libpq's parse errors quote pieces of the string, and a string that
    /// does not parse has no password libpq could name for scrubbing, so
    /// every quoted piece is dropped: `invalid percent-encoded token: "…"`.
    var parseProblem: String? {
        guard let connectionString else { return nil }
        var errorMessage: UnsafeMutablePointer<CChar>?
        if let options = PQconninfoParse(connectionString, &errorMessage) {
            defer { PQconninfoFree(options) }
            return Self.valueProblem(options)
        }
        var text = "it is not a valid connection string or URI"
        if let errorMessage {
            text = String(cString: errorMessage).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfreemem(errorMessage)
        }
        return Self.scrub(text, of: connectionString)
    }

    /// The options libpq reads as whole numbers, only when it connects (and
    /// then reports like a server it cannot reach): checked before, so
    /// `port=abc` is a usage error like any string that cannot be parsed.
    static let wholeNumberOptions: Set<String> = [
        "port", "connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
    ]

    /// The first option whose value libpq would refuse at connect time:
    /// a whole-number option (each of `port`'s comma-separated ports) that
    /// is not an optionally signed whole number, spaced as libpq allows.
    static func valueProblem(_ options: UnsafeMutablePointer<PQconninfoOption>) -> String? {
        var option = options
        while let keyword = option.pointee.keyword {
            defer { option += 1 }
            let name = String(cString: keyword)
            guard wholeNumberOptions.contains(name), let value = option.pointee.val else { continue }
            let parts = name == "port" ? String(cString: value).split(separator: ",", omittingEmptySubsequences: false) : [Substring(String(cString: value))]
            for part in parts {
                let text = part.trimmingCharacters(in: .whitespaces)
                // An empty port in a list means the default one.
                if name == "port", text.isEmpty { continue }
                guard Int(text) != nil else {
                    return "the option \(name) must be a whole number"
                }
            }
        }
        return nil
    }

    /// `message` with everything between its first and last double quote
    /// replaced by `…`, and the whole connection string removed.
    static func scrub(_ message: String, of connectionString: String) -> String {
        var text = message
        if let first = text.firstIndex(of: "\""), let last = text.lastIndex(of: "\""), first < last {
            text.replaceSubrange(first...last, with: "\"…\"")
        } else if let first = text.firstIndex(of: "\"") {
            text.replaceSubrange(first..., with: "\"…")
        }
        return connectionString.isEmpty ? text : text.redacting([connectionString])
    }

    /// The password of a `postgres(ql)://user:password@host` URI as written.
    static func uriPassword(_ uri: String) -> String? {
        guard let scheme = ["postgresql://", "postgres://"].first(where: { uri.hasPrefix($0) }) else { return nil }
        let rest = uri.dropFirst(scheme.count)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return nil }
        return String(authority[authority.index(after: colon)..<at])
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

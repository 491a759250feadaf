import Database
import Foundation
import Testing
import TestSupport

/// chipsales reaches a pg_auto_failover formation (scripts/ha) through one
/// libpq multi-host URL: `host=a,b`, `port=x,y`, `target_session_attrs=read-write`.
@Suite("Multi-host connection URLs")
struct MultiHostURLTests {
    /// `url` with an unreachable server listed before its own, and
    /// `target_session_attrs=read-write`, in the URI form `url` is written in.
    static func multiHost(_ url: String) throws -> String {
        let (base, query) = url.firstIndex(of: "?").map { (String(url[..<$0]), String(url[url.index(after: $0)...])) } ?? (url, "")
        var parameters = query.isEmpty ? [] : query.split(separator: "&").map(String.init)
        if let host = parameters.firstIndex(where: { $0.hasPrefix("host=") }) {
            // postgresql:///db?host=/socket/folder&port=5432 (what scripts/test sets)
            parameters[host] = "host=/nonexistent-chipsales-socket," + parameters[host].dropFirst("host=".count)
            if let port = parameters.firstIndex(where: { $0.hasPrefix("port=") }) {
                parameters[port] = "port=1," + parameters[port].dropFirst("port=".count)
            }
            parameters.append("target_session_attrs=read-write")
            return base + "?" + parameters.joined(separator: "&")
        }
        // postgresql://user@host:port/db
        let scheme = try #require(["postgresql://", "postgres://"].first { base.hasPrefix($0) }, "DATABASE_URL is a URI")
        var rest = String(base.dropFirst(scheme.count))
        let insertAt = rest.firstIndex(of: "@").map { rest.index(after: $0) } ?? rest.startIndex
        try #require(rest[insertAt...].first != "/", "DATABASE_URL names a host")
        rest.insert(contentsOf: "127.0.0.1:1,", at: insertAt)
        parameters.append("target_session_attrs=read-write")
        return scheme + rest + "?" + parameters.joined(separator: "&")
    }

    @Test("a multi-host URL with target_session_attrs=read-write reaches the writable server past one that is down")
    func pastADeadHost() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        try Fixtures.seed(try database.connect())
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.dropRole(login) }
        let url = try Self.multiHost(database.url(asUser: login))
        #expect(url.contains(",") && url.contains("target_session_attrs=read-write"), "\(url)")
        let week = Weeks.text(2)
        let created = try runChipsales(
            ["order", "create", "--customer", "helios-dc", "--reference", "MH-1", "--line", "TRN3:16:\(week)", "--connect-timeout", "2"],
            environment: ["DATABASE_URL": url])
        #expect(created.status == 0, "\(created.stderr)")
        let listed = try runChipsales(["order", "list", "--format", "csv", "--database-url", url])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("MH-1"), "\(listed.stdout)")
        #expect(try Fixtures.count("orders", database.connect()) == 1)
    }

    @Test("when no server in the URL accepts writes (a standby mid-failover), a command exits 69 and stores nothing; once one does, the same command succeeds")
    func noWritableServer() throws {
        let database = try TestDatabase.make()
        defer { database.drop() }
        let admin = try database.connect()
        try Fixtures.seed(admin)
        let login = try database.makeLogin(in: "chipsales_app")
        defer { database.dropRole(login) }
        let url = try Self.multiHost(database.url(asUser: login))
        // Sessions of this database start read-only, as on a hot standby.
        try admin.executeScript(StaticOrTrustedSQL(trustedFile: "ALTER DATABASE \(database.name) SET default_transaction_read_only = on"))
        let arguments = ["order", "create", "--customer", "helios-dc", "--reference", "MH-2", "--line", "TRN3:16:\(Weeks.text(2))", "--connect-timeout", "2"]
        let refused = try runChipsales(arguments, environment: ["DATABASE_URL": url])
        #expect(refused.status == 69, "\(refused.stderr)")
        #expect(refused.stderr.hasPrefix("chipsales: database unavailable:"), "\(refused.stderr)")
        #expect(refused.stderr.contains("read-only"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(try Fixtures.count("orders", admin) == 0)
        try admin.executeScript(StaticOrTrustedSQL(trustedFile: "ALTER DATABASE \(database.name) RESET default_transaction_read_only"))
        let retried = try runChipsales(arguments, environment: ["DATABASE_URL": url])
        #expect(retried.status == 0, "\(retried.stderr)")
        #expect(try Fixtures.count("orders", admin) == 1)
    }

    @Test("a multi-host URL whose servers are all down exits 69 in one line, without the password")
    func allDown() throws {
        let output = try runChipsales(
            ["db", "status", "--connect-timeout", "2"],
            environment: ["DATABASE_URL": "postgresql://app:pa55word@127.0.0.1:1,127.0.0.1:2/chipsales?target_session_attrs=read-write"])
        #expect(output.status == 69, "\(output.stderr)")
        #expect(output.stderr.hasPrefix("chipsales: database unavailable:"), "\(output.stderr)")
        #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)")
        #expect(!output.stderr.contains("pa55word"), "\(output.stderr)")
    }
}

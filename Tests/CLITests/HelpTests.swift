import Foundation
import Testing
import TestSupport

@Suite("chipsales --help")
struct HelpTests {
    /// Every option of every command with its default, from the argument
    /// parser's own description of the command tree.
    func defaults() throws -> [(command: String, option: String, value: String)] {
        let dump = try runChipsales(["--experimental-dump-help"])
        #expect(dump.status == 0, "\(dump.stderr)")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var found: [(String, String, String)] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            for argument in command["arguments"] as? [[String: Any]] ?? [] {
                if let value = argument["defaultValue"] as? String {
                    found.append((path.joined(separator: " "), argument["valueName"] as? String ?? "?", value))
                }
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                walk(sub, path + [sub["commandName"] as? String ?? "?"])
            }
        }
        walk(try #require(root["command"] as? [String: Any]), ["chipsales"])
        return found
    }

    @Test("every default shown in --help is a plain value a user could type, never a Swift description")
    func plainDefaults() throws {
        let all = try defaults()
        #expect(all.count > 50)
        for (command, option, value) in all {
            #expect(value.range(of: #"^[A-Za-z0-9._=:-]+$"#, options: .regularExpression) != nil, "\(command) --\(option): \(value)")
        }
        #expect(all.contains { $0.command == "chipsales customer add" && $0.option == "weight" && $0.value == "1" })
        let help = try runChipsales(["customer", "add", "--help"])
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("(exact decimal, > 0). (default: 1)") && !text.contains("DecimalArgument"), "\(help.stdout)")
    }
}

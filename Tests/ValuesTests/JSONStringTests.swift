import Foundation
import Testing
import Values

struct JSONStringTests {
    @Test("JSON strings escape the quote, the backslash and control characters, and keep every other character")
    func quoted() throws {
        #expect(JSONString.quoted("plain") == "\"plain\"")
        #expect(JSONString.quoted("say \"hi\" \\ bye") == #""say \"hi\" \\ bye""#)
        #expect(JSONString.quoted("a\nb\rc\td\u{1B}e\u{0}") == #""a\nb\rc\td\u001be\u0000""#)
        #expect(JSONString.quoted("東京 — ü") == "\"東京 — ü\"")
        // What JSONSerialization reads back is the text itself.
        for text in ["x\u{1F}y", "\"\\", "東京\n", ""] {
            let data = Data(("[" + JSONString.quoted(text) + "]").utf8)
            #expect(try JSONSerialization.jsonObject(with: data) as? [String] == [text])
        }
    }
}

import ControlProtocol
import Foundation
import Testing

/// The hand-built JSON lines of `GET /v1/events` must parse back to the same strings, whatever they hold.
@Suite("JSON text quoting")
struct JSONTextTests {
    @Test(arguments: [
        "", "user_added", "plain text with spaces", "quote \" and backslash \\", "line\nbreak\rand\ttab",
        "controls \u{01}\u{1F}\u{7F}", "unicode é ü 漢字 🔐", "\u{2028}\u{2029}", "ends with backslash \\",
    ])
    func quotedStringsParseBack(_ text: String) throws {
        let quoted = JSONText.quoted(text)
        let parsed = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(parsed == [text])
    }

    @Test func escapesExactlyWhatRFC8259Requires() {
        #expect(JSONText.quoted("a\"b") == #""a\"b""#)
        #expect(JSONText.quoted("a\\b") == #""a\\b""#)
        #expect(JSONText.quoted("\n\r\t") == #""\n\r\t""#)
        #expect(JSONText.quoted("\u{01}\u{1f}") == #""\u0001\u001f""#)
        #expect(JSONText.quoted("é/<>") == "\"é/<>\"", "non-ASCII and slashes are kept as they are")
    }

    @Test func anEventLineIsValidJSON() throws {
        let line = EventRecord.jsonLine(
            id: 7, type: "user \"added\"", receivedAtMicros: 1_795_949_192_000_000, occurredAt: nil, webhook: "main\n",
            deliveryID: 3, requestID: "req\\1", payloadJSON: "{\"a\":1}")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["type"] as? String == "user \"added\"")
        #expect(object["webhook"] as? String == "main\n")
        #expect(object["request_id"] as? String == "req\\1")
        #expect(object["occurred_at"] is NSNull)
    }
}

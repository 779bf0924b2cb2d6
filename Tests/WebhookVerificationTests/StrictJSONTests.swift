import Testing
import WebhookVerification

@Suite("StrictJSON")
struct StrictJSONTests {
    func code(_ text: String, maxDepth: Int = 64, allowDuplicateKeys: Bool = false) -> String? {
        code(Array(text.utf8), maxDepth: maxDepth, allowDuplicateKeys: allowDuplicateKeys)
    }

    func code(_ bytes: [UInt8], maxDepth: Int = 64, allowDuplicateKeys: Bool = false) -> String? {
        do throws(StrictJSONError) {
            try StrictJSON.validate(bytes, maxDepth: maxDepth, allowDuplicateKeys: allowDuplicateKeys)
            return nil
        } catch {
            return error.code
        }
    }

    @Test(
        "accepts RFC 8259 JSON texts",
        arguments: [
            "{}", "[]", " \t\r\n{} ", "0", "-0", "-0.0e-0", "1E+2", "123.456e789", "true", "false", "null", #""""#,
            #""\"\\\/\b\f\n\r\t\u00e9\u20AC""#, #""\ud83d\ude00""#, #""\uD83D\uDE00""#, "\"é€😀\"",
            #"{"a":[1,{"b":null}],"c":"d"}"#, #"[{"a":1},{"a":2}]"#, #"{"a":{"a":{"a":1}}}"#, #"{"":1,"\u0000":2}"#,
        ])
    func accepts(text: String) {
        #expect(code(text) == nil)
    }

    @Test(
        "rejects anything else",
        arguments: [
            "", " ", "{", "}", "[1,]", #"{"a":1,}"#, "[,1]", "[1 2]", #"{"a" 1}"#, #"{"a":}"#, "{1:2}", "{a:1}",
            "{'a':1}", "NaN", "-Infinity", "Infinity", "[NaN]", "01", "-01", "+1", ".5", "1.", "1.e1", "1e", "1e+",
            "-", "0x10", "tru", "nul", "True", "[true false]", "1 2", "{} {}", "/* c */ {}", "{} // c", #""a"#,
            "\"tab\there\"", "\"line\nbreak\"", #""\x41""#, #""\u12""#, #""\u12G4""#, #""\ud800""#, #""\udc00""#,
            #""\ud800\u0041""#, #""\ude00\ud83d""#, #""\ud800\""#, #"["\"]"#, "\u{FEFF}{}",
        ])
    func rejects(text: String) {
        #expect(code(text) == "invalid_json")
    }

    @Test(
        "rejects malformed UTF-8 inside strings and any non-ASCII outside them",
        arguments: [
            [0x22, 0xC0, 0x80, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xE0, 0x80, 0x80, 0x22], [0x22, 0x80, 0x22], [0x22, 0xFF, 0x22],
            [0xC3, 0xA9], [0x5B, 0xC2, 0xA0, 0x5D], [0x22, 0xE2, 0x82],
        ] as [[UInt8]])
    func rejectsBadUTF8(bytes: [UInt8]) {
        #expect(code(bytes) == "invalid_json")
    }

    @Test("limits nesting depth, counting containers")
    func depth() {
        let nested = { (depth: Int) in String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        #expect(code(nested(64)) == nil)
        #expect(code(nested(65)) == "json_too_deep")
        #expect(code(#"{"a":"# + nested(63) + "}") == nil)
        #expect(code(#"{"a":"# + nested(64) + "}") == "json_too_deep")
        #expect(code("1", maxDepth: 0) == nil)
        #expect(code("[]", maxDepth: 0) == "json_too_deep")
        #expect(code(nested(3), maxDepth: 3) == nil)
    }

    @Test("a 10,000-levels-deep (and a 1,000,000-levels-deep, unterminated) text is refused, not a crash")
    func veryDeep() {
        let deep = String(repeating: #"{"a":["#, count: 10_000) + String(repeating: "]}", count: 10_000)
        #expect(code(deep) == "json_too_deep")
        #expect(code(deep, maxDepth: 100_000) == nil)  // iterative: depth costs heap, not stack
        #expect(code(String(repeating: "[", count: 1_000_000), maxDepth: .max) == "invalid_json")
    }

    @Test(
        "rejects duplicate keys in any object, comparing unescaped keys",
        arguments: [
            #"{"a":1,"a":2}"#, #"{"a":1,"b":2,"a":3}"#, #"{"a":1,"\u0061":2}"#, #"{"\/":1,"/":2}"#,
            #"{"x":{"a":1,"a":1}}"#, #"[{"k":1},{"k":1,"k":2}]"#, #"{"é":1,"\u00e9":2}"#,
            #"{"\ud83d\ude00":1,"😀":2}"#,
        ])
    func duplicates(text: String) {
        #expect(code(text) == "duplicate_key")
        #expect(code(text, allowDuplicateKeys: true) == nil)
    }

    @Test("checks duplicates in large objects too")
    func largeObjects() {
        let keys = (0..<200).map { #""k\#($0)":\#($0)"# }
        #expect(code("{" + keys.joined(separator: ",") + "}") == nil)
        #expect(code("{" + (keys + [#""k\u003199":0"#]).joined(separator: ",") + "}") == "duplicate_key")
    }

    @Test("keys that only look alike are distinct")
    func distinctKeys() {
        #expect(code(#"{"a":1,"A":2,"a ":3,"\u0062":4,"":5}"#) == nil)
        #expect(code(#"{"a":{"b":1},"b":{"a":1}}"#) == nil)
    }
}

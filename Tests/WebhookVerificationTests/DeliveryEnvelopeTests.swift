import Testing
import WebhookVerification

@Suite("DeliveryEnvelope")
struct DeliveryEnvelopeTests {
    let token = TokenMinter.referenceToken

    func extract(_ body: String, _ contentType: String?) -> Result<String, DeliveryError> {
        extract(Array(body.utf8), contentType)
    }

    func extract(_ body: [UInt8], _ contentType: String?) -> Result<String, DeliveryError> {
        do throws(DeliveryError) {
            return .success(try DeliveryEnvelope.extractToken(from: body, contentType: contentType))
        } catch {
            return .failure(error)
        }
    }

    func code(_ body: String, _ contentType: String?) -> String? {
        if case .failure(let error) = extract(body, contentType) { return error.code }
        return nil
    }

    func status(_ body: [UInt8], _ contentType: String?) -> Int? {
        if case .failure(let error) = extract(body, contentType) { return error.httpStatus }
        return nil
    }

    @Test(
        "reads a JSON envelope",
        arguments: [
            "application/json", "application/json; charset=utf-8", "Application/JSON", "application/jose+json",
            "text/json", "text/plain", "application/octet-stream", nil, "",
        ] as [String?])
    func json(contentType: String?) {
        #expect(extract(#"{"body":"\#(token)"}"#, contentType) == .success(token))
    }

    @Test("reads a JSON envelope with other keys, whitespace and escapes")
    func jsonVariants() {
        #expect(extract(#" {"event":"x","body":"\#(token)","n":[1,{"a":null}]}"# + "\n", "application/json") == .success(token))
        let escaped = token.replacingOccurrences(of: "e", with: #"\u0065"#).replacingOccurrences(of: "_", with: #"\u005F"#)
        #expect(extract(#"{"body":"\#(escaped)"}"#, "application/json") == .success(token))
    }

    @Test("reads a form envelope, percent-decoding and with other fields")
    func form() {
        let type = "application/x-www-form-urlencoded"
        #expect(extract("body=\(token)", type) == .success(token))
        #expect(extract("body=\(token)", type + "; charset=UTF-8") == .success(token))
        let encoded = token.replacingOccurrences(of: "e", with: "%65").replacingOccurrences(of: "_", with: "%5f")
        #expect(extract("webhook=a+b&body=\(encoded)&x=%26&&", type) == .success(token))
        #expect(extract("b%6Fdy=\(token)", type) == .success(token))
        #expect(extract("body=\(token)\r\n", type) == .success(token))
        // `+` is a space in a form: the resulting token is then refused by the verifier, not read differently.
        #expect(extract("body=a+b", type) == .success("a b"))
        // A form without content type still reads as one when it starts with body=.
        #expect(extract("body=\(token)&n=1", nil) == .success(token))
    }

    @Test("reads a bare token, trimming surrounding whitespace")
    func bare() {
        for contentType in [nil, "text/plain", "application/jwt", "application/jose", "application/octet-stream",
                            "application/json", "application/x-www-form-urlencoded"] as [String?] {
            #expect(extract(token, contentType) == .success(token))
            #expect(extract(" \r\n\t\(token)\r\n ", contentType) == .success(token))
        }
    }

    @Test("two body fields in a form are ambiguous")
    func twoFormBodies() {
        #expect(code("body=\(token)&body=\(token)", "application/x-www-form-urlencoded") == "ambiguous_envelope")
        #expect(code("body=\(token)&b%6fdy=x", "application/x-www-form-urlencoded") == "ambiguous_envelope")
        #expect(code("body=\(token)&body=", nil) == "ambiguous_envelope")
    }

    @Test("a form without a body field is ambiguous; a broken percent-escape or non-UTF-8 value is unreadable")
    func badForms() {
        let type = "application/x-www-form-urlencoded"
        #expect(code("token=\(token)", type) == "ambiguous_envelope")
        #expect(code("body=abc%zz", type) == "unreadable_body")
        #expect(code("body=abc%4", type) == "unreadable_body")
        #expect(code("body=%FF%FE", type) == "unreadable_body")
    }

    @Test(
        "a JSON envelope that does not name exactly one string body is ambiguous",
        arguments: [
            #"{"body":"a","body":"b"}"#, #"{"body":"a","\u0062ody":"a"}"#, #"{"body":"a","x":{"k":1,"k":2}}"#,
            #"{"body":1}"#, #"{"body":["a"]}"#, #"{"body":null}"#, #"{"body":{"body":"a"}}"#, #"{"body":true}"#,
            #"{"token":"a"}"#, "{}", #"["a"]"#, "[]",
        ])
    func ambiguousJSON(body: String) {
        #expect(code(body, "application/json") == "ambiguous_envelope")
        #expect(code(body, nil) == "ambiguous_envelope")
    }

    @Test(
        "a JSON envelope that is not strict JSON is unreadable",
        arguments: [
            #"{"body":"a",}"#, #"{"body":"a"} x"#, #"{"body":'a'}"#, #"{"body":"a"#, #"{"body":NaN}"#,
            #"{"body":"\ud800"}"#, String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
        ])
    func unreadableJSON(body: String) {
        #expect(code(body, "application/json") == "unreadable_body")
    }

    @Test("an empty, blank or non-UTF-8 body is unreadable")
    func unreadable() {
        #expect(code("", "application/json") == "unreadable_body")
        #expect(code("", nil) == "unreadable_body")
        #expect(code(" \r\n", nil) == "unreadable_body")
        #expect(status([0xEF, 0xBB], "text/plain") == 400)
        if case .failure(let error) = extract(Array(#"{"body":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8), nil) {
            #expect(error.code == "unreadable_body")
        } else {
            Issue.record("a non-UTF-8 body was accepted")
        }
    }

    @Test(
        "content types that cannot carry a token are unsupported (415)",
        arguments: [
            "multipart/form-data; boundary=x", "image/png", "application/xml", "text/xml", "text/html",
            "application/x-json-stream", "garbage", "application/", "/json", "*/*",
        ])
    func unsupported(contentType: String) {
        #expect(code(#"{"body":"\#(token)"}"#, contentType) == "unsupported_media_type")
        #expect(status(Array(token.utf8), contentType) == 415)
        #expect(status([], contentType) == 415)
    }

    @Test("messages never echo the body")
    func messagesClean() {
        for body in ["body=\(token)&body=\(token)", #"{"body":1,"secret":"\#(token)"}"#, "\(token)%zz"] {
            for contentType in ["application/x-www-form-urlencoded", "application/json", "image/png"] {
                if case .failure(let error) = extract(body, contentType) {
                    #expect(!error.message.contains(token.prefix(20)))
                }
            }
        }
    }
}

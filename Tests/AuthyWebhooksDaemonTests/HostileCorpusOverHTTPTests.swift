@testable import AuthyWebhooksDaemon
import Foundation
import Testing

/// Both hostile corpora, sent byte for byte to a live receiver: each request gets its expected status (and code),
/// and nothing is stored unless the answer is 2xx.
@Suite("hostile deliveries over HTTP")
struct HostileCorpusOverHTTPTests {
    static let corpusFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")
    static let verificationCorpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("WebhookVerificationTests/Corpus/hostile.json")

    struct ReceiverCorpus: Decodable {
        struct Case: Decodable {
            let name: String
            let expectedStatus: Int
            let expectedCode: String?
            let raw: String?
            let method: String?
            let path: String?
            let headers: [[String]]?
            let body: String?
            let bodySize: Int?
            let framing: String?
            let declaredLength: Int?
        }
        let format: Int
        let maxBodySize: Int
        let maxHeaderSize: Int
        let readTimeout: String
        let cases: [Case]
    }

    struct VerificationCorpus: Decodable {
        struct Case: Decodable {
            let name: String
            let contentType: String?
            let body: String?
            let bodyBase64: String?
            let expectedStatus: Int
            let expectedCode: String?
        }
        let signingKey: String
        let webhook: String
        let cases: [Case]
    }

    static func decode<T: Decodable>(_ type: T.Type, _ url: URL) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: Data(contentsOf: url))
    }

    /// Sends one request and returns the answer and how many deliveries it added to the store.
    func send(_ daemon: RunningDaemon, _ parts: [[UInt8]]) async throws -> (answer: RawHTTP.Answer, stored: Int) {
        let before = try await daemon.runtime.state.store.statistics().deliveries
        let answer = try await RawHTTP.exchange(port: daemon.receiverPort, parts: parts)
        let after = try await daemon.runtime.state.store.statistics().deliveries
        return (answer, after - before)
    }

    func code(_ answer: RawHTTP.Answer) -> String? {
        ((try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [String: Any])
            .flatMap { $0["error"] as? [String: Any] }?["code"] as? String
    }

    @Test func everyReceiverCorpusCaseGetsItsStatusAndStoresNothing() async throws {
        let corpus = try Self.decode(ReceiverCorpus.self, Self.corpusFolder.appendingPathComponent("receiver-hostile.json"))
        #expect(corpus.format == 1)
        #expect(corpus.cases.count >= 40)
        #expect(Set(corpus.cases.map(\.name)).count == corpus.cases.count)
        let settings = "[Receiver]\nMaxBodySize=\(corpus.maxBodySize)\nMaxHeaderSize=\(corpus.maxHeaderSize)\nReadTimeout=\(corpus.readTimeout)\n"
        try await withDaemon(settings) { daemon in
            for item in corpus.cases {
                let (answer, stored) = try await send(daemon, Self.request(item, path: "/authy/webhook"))
                #expect(answer.status == item.expectedStatus, "\(item.name): answered \(answer.status) \(answer.body)")
                if let expected = item.expectedCode {
                    #expect(code(answer) == expected, "\(item.name): \(answer.body)")
                }
                if (200..<300).contains(item.expectedStatus) {
                    #expect(stored == 1, "\(item.name): accepted but \(stored) deliveries stored")
                } else {
                    #expect(stored == 0, "\(item.name): refused but \(stored) deliveries stored")
                }
            }
            // The daemon is still serving after all of it.
            let health = try await RawHTTP.exchange(port: daemon.receiverPort, parts: [Array("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".utf8)])
            #expect(health.status == 200)
        }
    }

    /// The token-level corpus of WebhookVerificationTests, now through the HTTP server and the store.
    @Test func theVerificationCorpusGetsTheSameAnswersOverHTTP() async throws {
        let corpus = try Self.decode(VerificationCorpus.self, Self.verificationCorpus)
        // Judged at the corpus's fixed instant (2017), which a live daemon's clock is not: these two flip with time.
        // WebhookVerificationTests checks them at that instant; ReceiverTests checks exp/nbf against the real clock.
        let clockDependent: Set<String> = ["exp_within_leeway", "not_yet_valid"]
        let settings = "[Webhook]\nName=\(corpus.webhook)\nSigningKey=\(corpus.signingKey)\n"
        try await withDaemon(settings) { daemon in
            for item in corpus.cases where !clockDependent.contains(item.name) {
                let body = try #require(item.body.map { Array($0.utf8) } ?? item.bodyBase64.flatMap { Data(base64Encoded: $0) }.map { Array($0) })
                var head = "POST /authy/webhook HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
                if let type = item.contentType { head += "Content-Type: \(type)\r\n" }
                let (answer, stored) = try await send(daemon, [Array((head + "\r\n").utf8) + body])
                if item.expectedStatus == 200 {
                    #expect((200..<300).contains(answer.status), "\(item.name): answered \(answer.status) \(answer.body)")
                    // Several cases carry the same token in another envelope: stored once, then answered as a duplicate.
                    let duplicate = ((try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [String: Any])?["duplicate"] as? Bool
                    #expect(duplicate != nil && stored == (duplicate == true ? 0 : 1), "\(item.name): \(stored) stored, \(answer.body)")
                } else {
                    #expect(answer.status == item.expectedStatus, "\(item.name): answered \(answer.status) \(answer.body)")
                    #expect(code(answer) == item.expectedCode, "\(item.name): \(answer.body)")
                    #expect(stored == 0, "\(item.name): refused but \(stored) deliveries stored")
                }
            }
        }
    }

    /// The bytes of one receiver-corpus request, split where a chunked body trickles.
    static func request(_ item: ReceiverCorpus.Case, path: String) -> [[UInt8]] {
        if let raw = item.raw {
            return [Array(raw.replacingOccurrences(of: "{{path}}", with: path).utf8)]
        }
        var body = expand(item.body ?? "")
        if let size = item.bodySize, body.contains("{{fill}}") {
            let without = body.replacingOccurrences(of: "{{fill}}", with: "").utf8.count
            body = body.replacingOccurrences(of: "{{fill}}", with: String(repeating: "a", count: max(0, size - without)))
        }
        var head = "\(item.method ?? "POST") \(item.path ?? path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
        for header in item.headers ?? [] where header.count == 2 {
            head += "\(header[0]): \(expand(header[1]))\r\n"
        }
        let bytes = Array(body.utf8)
        switch item.framing ?? "length" {
        case "chunked":
            head += "Transfer-Encoding: chunked\r\n\r\n"
            var parts = [Array(head.utf8)]
            for start in stride(from: 0, to: bytes.count, by: 1000) {
                let chunk = bytes[start..<min(start + 1000, bytes.count)]
                parts.append(Array(String(chunk.count, radix: 16).utf8) + [13, 10] + chunk + [13, 10])
            }
            parts.append(Array("0\r\n\r\n".utf8))
            return [parts.flatMap { $0 }]
        case "declared":
            head += "Content-Length: \(item.declaredLength ?? bytes.count)\r\n\r\n"
            return [Array(head.utf8) + bytes]
        default:
            head += "Content-Length: \(bytes.count)\r\n\r\n"
            return [Array(head.utf8) + bytes]
        }
    }

    /// `{{token}}` → a fresh signed token each time; `{{x:N}}` → N letters x.
    static func expand(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            result += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound]
            if name == "token" {
                result += Tokens.signed()
            } else if name.hasPrefix("x:"), let count = Int(name.dropFirst(2)) {
                result += String(repeating: "x", count: count)
            } else {
                result += rest[open.lowerBound..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}

extension RunningDaemon {
    /// The loopback port the receiver bound (the configuration asks for port 0).
    var receiverPort: Int { Int(endpoints.receivers[0].split(separator: ":").last.map(String.init) ?? "") ?? 0 }
}

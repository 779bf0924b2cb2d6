import Foundation
import Testing
import WebhookVerification

/// The manifest in Corpus/hostile.json (format documented in Corpus/README.txt).
struct HostileCorpus: Decodable, Sendable {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let contentType: String?
        let body: String?
        let bodyBase64: String?
        let expectedStatus: Int
        let expectedCode: String?
        let expectedEventTypes: [String?]?

        var testDescription: String { name }

        var bodyBytes: [UInt8]? {
            if let body { return Array(body.utf8) }
            return bodyBase64.flatMap { Data(base64Encoded: $0) }.map { Array($0) }
        }

        enum CodingKeys: String, CodingKey {
            case name, body
            case contentType = "content_type", bodyBase64 = "body_base64", expectedStatus = "expected_status"
            case expectedCode = "expected_code", expectedEventTypes = "expected_event_types"
        }
    }

    let format: Int
    let signingKey: String
    let webhook: String
    let now: Double
    let leeway: Double
    let publicURL: String?
    let cases: [Case]

    enum CodingKeys: String, CodingKey {
        case format, webhook, now, leeway, cases
        case signingKey = "signing_key", publicURL = "public_url"
    }

    static func load() throws -> HostileCorpus {
        guard let url = Bundle.module.url(forResource: "hostile", withExtension: "json", subdirectory: "Corpus") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try JSONDecoder().decode(HostileCorpus.self, from: Data(contentsOf: url))
    }

    /// The cases for parameterized tests; empty (and so caught by `manifestIsComplete`) if the manifest cannot load.
    static let loadedCases: [Case] = (try? load().cases) ?? []
}

@Suite("Hostile corpus (Corpus/hostile.json)")
struct HostileCorpusTests {
    @Test("the manifest loads and covers every outcome")
    func manifestIsComplete() throws {
        let corpus = try HostileCorpus.load()
        #expect(corpus.format == 1)
        #expect(corpus.signingKey == TokenMinter.referenceKey)
        #expect(corpus.cases.count >= 40)
        #expect(Set(corpus.cases.map(\.name)).count == corpus.cases.count)
        #expect(Set(corpus.cases.map(\.expectedStatus)) == [200, 400, 401, 415])
        for item in corpus.cases {
            #expect(item.bodyBytes != nil, "\(item.name) has no body")
            #expect((item.expectedStatus == 200) == (item.expectedCode == nil), "\(item.name)")
        }
    }

    @Test("each case gets its expected status and code", arguments: HostileCorpus.loadedCases)
    func corpusCase(_ item: HostileCorpus.Case) throws {
        let corpus = try HostileCorpus.load()
        let verifier = DeliveryVerifier(
            keys: [WebhookSigningKey(webhook: corpus.webhook, secret: corpus.signingKey)],
            publicURL: corpus.publicURL, leeway: corpus.leeway)
        let body = try #require(item.bodyBytes)
        do throws(DeliveryError) {
            let token = try DeliveryEnvelope.extractToken(from: body, contentType: item.contentType)
            let delivery = try verifier.verify(token: token, now: Date(timeIntervalSince1970: corpus.now))
            #expect(item.expectedStatus == 200, "accepted, expected \(item.expectedCode ?? "")")
            #expect(delivery.webhook == corpus.webhook)
            if let types = item.expectedEventTypes {
                #expect(delivery.events.map(\.type) == types)
            }
        } catch {
            #expect(error.httpStatus == item.expectedStatus)
            #expect(error.code == item.expectedCode)
        }
    }
}

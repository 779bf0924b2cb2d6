import AsyncHTTPClient
@testable import AuthyWebhooksDaemon
import EventStore
import Foundation
import GRDB
import NIOCore
import Synchronization
import Testing

@Suite("Receiver over HTTP on loopback")
struct ReceiverTests {
    static let fixture = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1cmwiOiJodHRwczovL2V4YW1wbGUuY29tL2F1dGh5L3dlYmhvb2siLCJwYXJhbXMiOnsiZXZlbnRzIjpbeyJldmVudCI6InBob25lX3ZlcmlmaWNhdGlvbl9zdGFydGVkIiwib2JqZWN0cyI6eyJhcHAiOnsic19pZCI6IjEyMzQ1Iiwic190eXBlIjoiZnVsbCJ9LCJwaG9uZV92ZXJpZmljYXRpb24iOnsic19pZCI6InB2XzEiLCJzX3N0YXR1cyI6InBlbmRpbmciLCJpX2NvZGVfbGVuZ3RoIjo0fX0sInJlcXVlc3QiOnsiaWQiOiJyZXFfMSIsImlwIjoiMjAzLjAuMTEzLjcifSwidGltZSI6IjIwMTctMDYtMTZUMjM6MDA6MDBaIn1dfSwiaWF0IjoxNDk3NjU0MDAwfQ.sYM9X_1PUbL7ud9JMxtYEEULMfvA0Kp-FUcySjW_kJk"

    @Test func theReferenceFixtureIsAcceptedInEveryEnvelopeAndStoredOnce() async throws {
        try await withDaemon("""
            [Webhook]
            Name=reference
            SigningKey=WSK_example_signing_key
            """) { daemon in
            let json = try await daemon.post("{\"body\":\"\(Self.fixture)\"}")
            #expect(json.status == 200)
            #expect(json.json["events"] as? Int == 1)
            #expect(json.json["duplicate"] as? Bool == false)
            let id = try #require(json.json["delivery_id"] as? Int)

            let form = try await daemon.post("body=\(Self.fixture)", contentType: "application/x-www-form-urlencoded")
            #expect(form.status == 200)
            #expect(form.json["duplicate"] as? Bool == true)
            #expect(form.json["delivery_id"] as? Int == id)

            let bare = try await daemon.post(Self.fixture, contentType: nil)
            #expect(bare.status == 200)
            #expect(bare.json["duplicate"] as? Bool == true)

            let store = try SQLiteEventStore(path: daemon.databasePath)
            let events = try await store.events(matching: EventQuery(), order: .ascending, after: nil, limit: 10)
            #expect(events.count == 1)
            #expect(events[0].type == "phone_verification_started")
            #expect(events[0].webhook == "reference")
            #expect(events[0].requestID == "req_1")
            #expect(events[0].occurredAt == "2017-06-16T23:00:00Z")
            #expect(events[0].payload.hasPrefix("{\"event\":\"phone_verification_started\""))
            try await store.close()
            let accepted = daemon.log.all.filter { $0.contains("verify_result=accepted") }
            #expect(accepted.count == 1)
            #expect(daemon.log.all.filter { $0.contains("verify_result=duplicate") }.count == 2)
            #expect(!daemon.log.all.contains { $0.contains(Self.fixture) || $0.contains("WSK_example_signing_key") }, "a token or key reached the log")
        }
    }

    @Test(arguments: [
        ("{not json", "application/json", 400, "ambiguous_envelope|unreadable_body|malformed_token"),
        ("{\"body\":\"abc.def\"}", "application/json", 400, "malformed_token"),
        ("{\"body\":42}", "application/json", 400, "ambiguous_envelope"),
        ("body=a&body=b", "application/x-www-form-urlencoded", 400, "ambiguous_envelope"),
        ("<xml/>", "application/xml", 415, "unsupported_media_type"),
    ])
    func unreadableBodiesAreRefused(body: String, contentType: String, status: Int, codes: String) async throws {
        try await withDaemon { daemon in
            let answer = try await daemon.post(body, contentType: contentType)
            #expect(answer.status == status)
            let code = try #require(RunningDaemon.code(answer.json))
            #expect(codes.split(separator: "|").contains(Substring(code)), "got \(code)")
            #expect(try await eventCount(daemon) == 0)
        }
    }

    @Test func forgedAndInvalidTokensGet401WithAStableCode() async throws {
        try await withDaemon("""
            [Receiver]
            PublicURL=https://example.com/authy/webhook
            """) { daemon in
            let wrongKey = Tokens.signed(key: "WSK_somebody_else")
            let good = Tokens.signed()
            let parts = good.split(separator: ".").map(String.init)
            let hs384Header = WebhookTokenSigner.base64URL(Array(#"{"alg":"HS384","typ":"JWT"}"#.utf8))
            let noneHeader = WebhookTokenSigner.base64URL(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
            let tamperedClaims = WebhookTokenSigner.base64URL(Array(Tokens.events(["user_removed"]).utf8))
            let cases: [(String, String)] = [
                (wrongKey, "invalid_signature"),
                ("\(hs384Header).\(parts[1]).\(parts[2])", "unsupported_algorithm"),
                ("\(noneHeader).\(parts[1]).", "unsupported_algorithm|malformed_token"),
                ("\(parts[0]).\(tamperedClaims).\(parts[2])", "invalid_signature"),
                (Tokens.signed(extraClaims: ",\"exp\":1000"), "token_expired"),
                (Tokens.signed(extraClaims: ",\"nbf\":4102444800"), "token_not_yet_valid"),
                (Tokens.signed(url: "https://attacker.example/hook"), "url_mismatch"),
            ]
            for (token, codes) in cases {
                let answer = try await daemon.post("{\"body\":\"\(token)\"}")
                let code = RunningDaemon.code(answer.json) ?? "-"
                #expect(answer.status == (code == "malformed_token" ? 400 : 401), "\(codes)")
                #expect(codes.split(separator: "|").contains(Substring(code)), "expected \(codes), got \(code)")
            }
            #expect(try await daemon.post("{\"body\":\"\(good)\"}").status == 200)
            #expect(try await eventCount(daemon) == 1)
            #expect(daemon.log.all.filter { $0.contains("delivery rejected") }.count == cases.count)
        }
    }

    @Test func sizeMethodAndPathAreChecked() async throws {
        try await withDaemon("""
            [Receiver]
            MaxBodySize=1K
            """) { daemon in
            let big = "{\"body\":\"" + String(repeating: "a", count: 2000) + "\"}"
            let tooLarge = try await daemon.post(big)
            #expect(tooLarge.status == 413)
            #expect(RunningDaemon.code(tooLarge.json) == "payload_too_large")

            // Chunked (no Content-Length): refused once the limit is crossed.
            var request = HTTPClientRequest(url: daemon.endpoints.deliveryURL)
            request.method = .POST
            let chunks = (0..<8).map { _ in ByteBuffer(string: String(repeating: "b", count: 400)) }
            request.body = .stream(chunks.async, length: .unknown)
            let response = try await daemon.http.execute(request, timeout: .seconds(30))
            #expect(response.status.code == 413)

            #expect(try await daemon.post("", method: .GET).status == 405)
            #expect(try await daemon.post("{}", path: "/elsewhere").status == 404)
            let health = try await daemon.post("", path: "/healthz", method: .GET)
            #expect(health.status == 200)
            #expect(health.json["status"] as? String == "ok")
            #expect(try await eventCount(daemon) == 0)
        }
    }

    @Test func aSignedDeliveryWithoutReadableEventsIsStillStored() async throws {
        try await withDaemon { daemon in
            let token = WebhookTokenSigner.sign(claims: "{\"url\":\"x\",\"params\":{\"events\":\"not a list\"}}", key: TestKeys.main)
            let answer = try await daemon.post("{\"body\":\"\(token)\"}")
            #expect(answer.status == 200)
            #expect(answer.json["events"] as? Int == 1)
            let store = try SQLiteEventStore(path: daemon.databasePath)
            let events = try await store.events(matching: EventQuery(types: ["unknown"]), order: .ascending, after: nil, limit: 10)
            #expect(events.count == 1)
            #expect(events[0].type == nil)
            try await store.close()
        }
    }

    @Test func aDeliverySurvivesARestart() async throws {
        let directory = try TemporaryDirectory()
        let token = Tokens.signed(["user_added", "token_verified"])
        let first = Mutex<Int?>(nil)
        try await withDaemon(directory: directory) { daemon in
            let answer = try await daemon.post("{\"body\":\"\(token)\"}")
            #expect(answer.status == 200)
            #expect(answer.json["events"] as? Int == 2)
            first.withLock { $0 = answer.json["delivery_id"] as? Int }
        }
        try await withDaemon(directory: directory) { daemon in
            let again = try await daemon.post("body=\(token)", contentType: "application/x-www-form-urlencoded")
            #expect(again.status == 200)
            #expect(again.json["duplicate"] as? Bool == true)
            #expect(again.json["delivery_id"] as? Int == first.withLock { $0 })
            #expect(try await eventCount(daemon) == 2)
        }
    }

    @Test func hundredConcurrentDeliveriesAreEachStoredExactlyOnce() async throws {
        try await withDaemon { daemon in
            let tokens = (0..<100).map { Tokens.signed(requestPrefix: "concurrent_\($0)") }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                // Each token twice, concurrently: 200 requests, 100 deliveries.
                for token in tokens + tokens {
                    group.addTask { try await daemon.post("{\"body\":\"\(token)\"}").status }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.count == 200)
            #expect(statuses.allSatisfy { $0 == 200 })
            #expect(try await eventCount(daemon) == 100)
        }
    }

    @Test func aLockedDatabaseGets503AfterTheBusyTimeoutAndRecovers() async throws {
        try await withDaemon { daemon in
            // Another process's write lock, held across accesses on purpose.
            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true
            let blocker = try DatabaseQueue(path: daemon.databasePath, configuration: configuration)
            try await blocker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
            let locked = try await daemon.post("{\"body\":\"\(Tokens.signed())\"}")
            #expect(locked.status == 503)
            #expect(RunningDaemon.code(locked.json) == "store_busy")
            #expect(try await daemon.post("", path: "/healthz", method: .GET).status == 503)
            try await blocker.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
            try blocker.close()
            #expect(try await daemon.post("{\"body\":\"\(Tokens.signed())\"}").status == 200)
            #expect(try await daemon.post("", path: "/healthz", method: .GET).status == 200)
        }
    }
}

func eventCount(_ daemon: RunningDaemon) async throws -> Int {
    let store = try SQLiteEventStore(path: daemon.databasePath)
    let count = try await store.statistics().events
    try await store.close()
    return count
}

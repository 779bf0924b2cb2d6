import AsyncHTTPClient
@testable import AuthyWebhooksDaemon
import ControlProtocol
import EventStore
import FakeAuthyAPI
import Foundation
import Testing

enum FakeKeys {
    static let app = "fake-app-api-key-123"
    static let access = "fake-access-key-456"
    static let signing = "fake-api-signing-key-789"
}

/// A fake Authy API on a loopback port and a daemon configured to use it.
func withFakeAuthyAndDaemon(
    _ extraConfiguration: String = "", apiSigningKey: String = FakeKeys.signing, directory: TemporaryDirectory? = nil,
    seed: [FakeWebhook] = [], _ body: @Sendable (RunningDaemon, FakeAuthyState) async throws -> Void
) async throws {
    let state = FakeAuthyState(appAPIKey: FakeKeys.app, accessKey: FakeKeys.access, apiSigningKey: FakeKeys.signing)
    for webhook in seed { await state.seed(webhook) }
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = FakeAuthyServer.buildApplication(state: state, port: 0) { portContinuation.yield($0) }
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try? await app.run() }
        defer { group.cancelAll() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        try await withDaemon("""
            [Authy]
            APIURL=http://127.0.0.1:\(port)
            AppAPIKey=\(FakeKeys.app)
            AccessKey=\(FakeKeys.access)
            APISigningKey=\(apiSigningKey)
            RequestTimeout=2s
            \(extraConfiguration)
            """, directory: directory) { daemon in
            try await body(daemon, state)
        }
    }
}

@Suite("Webhook registry against a fake Authy API")
struct WebhookRegistryTests {
    func ctl(_ daemon: RunningDaemon, _ arguments: String...) async throws -> CommandResult {
        try await CommandRunner.authyctl(Array(arguments), socket: daemon.endpoints.controlSocket)
    }

    func json(_ result: CommandResult) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    func registry(_ daemon: RunningDaemon) async throws -> [RegisteredWebhook] {
        let store = try SQLiteEventStore(path: daemon.databasePath)
        defer { Task { try? await store.close() } }
        return try await store.webhooks()
    }

    @Test func createRegistersTheKeyAndItsDeliveriesVerifyAtOnce() async throws {
        try await withFakeAuthyAndDaemon { daemon, fake in
            let created = try await ctl(daemon, "webhooks", "create", "--name", "prod", "--url", "https://example.com/authy/webhook", "--event", "user_added", "--event", "token_verified", "--output", "json")
            #expect(created.status == 0, "\(created.stderr)")
            let record = try #require(try json(created) as? [String: Any])
            #expect(record["signing_key"] as? String == "WSK_********")
            let atAuthy = try #require(await fake.webhooks.first)
            #expect(atAuthy.name == "prod")
            #expect(atAuthy.events == ["token_verified", "user_added"])
            #expect(await fake.requestLog.allSatisfy { $0.signatureValid })

            let token = Tokens.signed(["user_added"], key: atAuthy.signingKey)
            let delivery = try await daemon.post("{\"body\":\"\(token)\"}")
            #expect(delivery.status == 200, "a key created a moment ago verifies without a restart")
            let shown = try await ctl(daemon, "events", "--webhook", atAuthy.id, "--output", "jsonl")
            #expect(shown.stdout.contains("\"webhook\":\"prod\""), "events filter by webhook id as well as name")

            let listed = try await ctl(daemon, "webhooks", "list", "--output", "json")
            let rows = try #require(try json(listed) as? [[String: Any]])
            #expect(rows.map { $0["name"] as? String } == ["main", "prod"])
            #expect(rows.first { $0["name"] as? String == "prod" }?["source"] as? String == "created")
            #expect(!listed.stdout.contains(atAuthy.signingKey), "keys are masked by default")
            let revealed = try await ctl(daemon, "webhooks", "list", "--show-signing-keys", "--output", "json")
            #expect(revealed.stdout.contains(atAuthy.signingKey))
            let remote = try await ctl(daemon, "webhooks", "list", "--remote", "--output", "json")
            #expect((try json(remote) as? [[String: Any]])?.map { $0["id"] as? String } == [atAuthy.id])
            #expect(!daemon.log.all.contains { $0.contains(atAuthy.signingKey) || $0.contains(FakeKeys.signing) || $0.contains(FakeKeys.app) })
            #expect(daemon.log.all.contains { $0.contains("created at Authy and registered") })
        }
    }

    @Test func unknownEventNamesNeedAnExplicitOverride() async throws {
        try await withFakeAuthyAndDaemon { daemon, fake in
            let refused = try await ctl(daemon, "webhooks", "create", "--name", "x", "--url", "https://example.com/h", "--event", "user_teleported")
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("user_teleported"))
            #expect(await fake.webhooks.isEmpty)
            #expect(await fake.requestLog.isEmpty, "refused before calling Authy")
            let allowed = try await ctl(daemon, "webhooks", "create", "--name", "x", "--url", "https://example.com/h", "--event", "user_teleported", "--allow-unknown-event")
            #expect(allowed.status == 0, "\(allowed.stderr)")
            #expect(await fake.webhooks.count == 1)
        }
    }

    @Test func deleteRetiresTheKeyForTheGracePeriodOnly() async throws {
        let seeded = FakeWebhook(name: "old", url: "https://example.com/h", events: ["user_added"])
        try await withFakeAuthyAndDaemon("""
            [Receiver]
            RetiredKeyGrace=3s
            """, seed: [seeded]) { daemon, fake in
            #expect(try await ctl(daemon, "webhooks", "sync").status == 0)
            #expect(try await registry(daemon).map(\.id) == [seeded.id])
            let deleted = try await ctl(daemon, "webhooks", "delete", "old")
            #expect(deleted.status == 0, "\(deleted.stderr)")
            #expect(await fake.webhooks.isEmpty)
            #expect(try await registry(daemon).isEmpty)
            let inFlight = try await daemon.post("{\"body\":\"\(Tokens.signed(key: seeded.signingKey))\"}")
            #expect(inFlight.status == 200, "a retired key still verifies within RetiredKeyGrace")
            try await Task.sleep(for: .milliseconds(3500))
            let late = try await daemon.post("{\"body\":\"\(Tokens.signed(key: seeded.signingKey))\"}")
            #expect(late.status == 401, "and no longer after it")
        }
    }

    @Test func deletingAWebhookAlreadyGoneAtAuthyRemovesItLocallyWithANote() async throws {
        let seeded = FakeWebhook(name: "vanishing", url: "https://example.com/h", events: ["user_added"])
        try await withFakeAuthyAndDaemon(seed: [seeded]) { daemon, fake in
            #expect(try await ctl(daemon, "webhooks", "sync").status == 0)
            await fake.removeAll()
            let deleted = try await ctl(daemon, "webhooks", "delete", seeded.id, "--output", "table")
            #expect(deleted.status == 0, "\(deleted.stderr)")
            #expect(deleted.stdout.contains("already gone at Authy"))
            #expect(try await registry(daemon).isEmpty)
        }
    }

    @Test func syncReportsEveryOutcomeAndDryRunChangesNothing() async throws {
        let same = FakeWebhook(name: "same", url: "https://example.com/same", events: ["user_added"])
        let drifted = FakeWebhook(name: "drifted", url: "https://example.com/drifted", events: ["user_added"])
        let stray = FakeWebhook(name: "stray", url: "https://example.com/stray", events: ["user_added"])
        let configuration = """
            [Receiver]
            RetiredKeyGrace=1h
            [Webhook]
            Name=same
            URL=https://example.com/same
            Events=user_added
            [Webhook]
            Name=drifted
            URL=https://example.com/drifted
            Events=user_added token_verified
            [Webhook]
            Name=missing
            URL=https://example.com/missing
            Events=user_removed
            """
        try await withFakeAuthyAndDaemon(configuration, seed: [same, drifted, stray]) { daemon, fake in
            func plan(_ arguments: String...) async throws -> [String: String] {
                let result = try await CommandRunner.authyctl(["webhooks", "sync", "--output", "json"] + arguments, socket: daemon.endpoints.controlSocket)
                #expect(result.status == 0, "\(result.stderr)")
                let response = try ControlJSON.decoder().decode(SyncResponse.self, from: Data(result.stdout.utf8))
                return Dictionary(response.entries.map { ($0.name, $0.action.rawValue) }) { a, _ in a }
            }
            let before = await fake.webhooks
            #expect(try await plan("--dry-run") == ["same": "added", "drifted": "drift", "stray": "added", "missing": "created"])
            #expect(await fake.webhooks == before, "--dry-run changes nothing at Authy")
            #expect(try await registry(daemon).isEmpty, "--dry-run changes nothing locally")

            #expect(try await plan() == ["same": "added", "drifted": "drift", "stray": "added", "missing": "created"])
            #expect(await fake.webhooks.map(\.name).sorted() == ["drifted", "missing", "same", "stray"])
            #expect(try await registry(daemon).map(\.name) == ["drifted", "missing", "same", "stray"])
            #expect(try await plan() == ["same": "unchanged", "drifted": "drift", "stray": "unchanged", "missing": "unchanged"])

            #expect(try await plan("--recreate") == ["same": "unchanged", "drifted": "recreated", "stray": "unchanged", "missing": "unchanged"])
            let recreated = try #require(await fake.webhooks.first { $0.name == "drifted" })
            #expect(recreated.id != drifted.id)
            #expect(recreated.events == ["token_verified", "user_added"])
            #expect(try await daemon.post("{\"body\":\"\(Tokens.signed(key: recreated.signingKey))\"}").status == 200)
            #expect(try await daemon.post("{\"body\":\"\(Tokens.signed(key: drifted.signingKey))\"}").status == 200, "the replaced key keeps verifying during the grace period")

            #expect(try await plan("--prune", "--dry-run")["stray"] == "deleted")
            #expect(await fake.webhooks.contains { $0.name == "stray" })
            #expect(try await plan("--prune")["stray"] == "deleted")
            #expect(!(await fake.webhooks.contains { $0.name == "stray" }))

            await fake.removeAll { $0.name == "same" }
            #expect(try await plan()["same"] == "removed-locally")
        }
    }

    @Test func authyErrorsAndMissingCredentialsAreClear() async throws {
        try await withFakeAuthyAndDaemon(apiSigningKey: "a-wrong-signing-key") { daemon, _ in
            let rejected = try await ctl(daemon, "webhooks", "list", "--remote")
            #expect(rejected.status == 1)
            #expect(rejected.stderr.contains("401"))
            #expect(rejected.stderr.lowercased().contains("signature"), "Authy's message is shown: \(rejected.stderr)")
            #expect(!rejected.stderr.contains("a-wrong-signing-key"))
        }
        try await withDaemon { daemon in
            let missing = try await ctl(daemon, "webhooks", "sync")
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("AppAPIKey") && missing.stderr.contains("credentials"))
            #expect(try await ctl(daemon, "webhooks", "list").status == 0, "the local registry needs no credentials")
        }
    }
}

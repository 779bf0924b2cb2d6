import FakeAuthyAPI
import Foundation
import Testing

/// Signing keys and Authy API keys never leave the daemon except where a user asks for them by name
/// (`webhooks list --show-signing-keys`, admin only): a whole session of use — deliveries good and bad, every
/// authyctl read, webhook management with Authy failing and succeeding, `--check-config` — is collected,
/// and every secret it used is searched for in all of it.
@Suite("secrets stay secret")
struct SecretsTests {
    /// Everything a user or an operator could see, with where it came from.
    final class Transcript: @unchecked Sendable {
        private let lock = NSLock()
        private var parts: [(source: String, text: String)] = []

        func add(_ source: String, _ text: String) { lock.withLock { parts.append((source, text)) } }
        func add(_ source: String, _ result: CommandResult) {
            add(source + " (stdout)", result.stdout)
            add(source + " (stderr)", result.stderr)
        }

        /// The sources whose text contains `secret` (also percent- or JSON-escaped, or base64-encoded).
        func leaks(of secret: String) -> [String] {
            let forms = [secret, secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? secret,
                         Data(secret.utf8).base64EncodedString()]
            return lock.withLock { parts.filter { part in forms.contains { part.text.contains($0) } }.map(\.source) }
        }
        var totalBytes: Int { lock.withLock { parts.reduce(0) { $0 + $1.text.utf8.count } } }
    }

    @Test func noSecretAppearsInLogsAnswersOutputsOrCheckConfig() async throws {
        let existing = FakeWebhook(name: "existing", url: "https://example.com/authy/webhook", events: ["user_added"])
        let directory = try TemporaryDirectory()
        let transcript = Transcript()
        let secondKey = "WSK_second_local_key_" + UUID().uuidString
        try await withFakeAuthyAndDaemon("[Webhook]\nName=second\nSigningKey=\(secondKey)\n", directory: directory, seed: [existing]) { daemon, fake in
            let socket = daemon.endpoints.controlSocket
            func ctl(_ arguments: String...) async throws -> CommandResult {
                let result = try await CommandRunner.authyctl(Array(arguments), socket: socket)
                transcript.add("authyctl " + arguments.joined(separator: " "), result)
                return result
            }
            func post(_ body: String, _ label: String) async throws {
                let answer = try await daemon.post(body)
                transcript.add("receiver answer to \(label)", String(describing: answer.json))
            }

            // Deliveries: signed with each key, forged, broken.
            try await post("{\"body\":\"\(Tokens.signed(["user_added"]))\"}", "a good delivery")
            try await post("{\"body\":\"\(Tokens.signed(["user_added"], key: secondKey))\"}", "a delivery for the second webhook")
            try await post("{\"body\":\"\(Tokens.signed(["user_added"], key: "WSK_not_configured"))\"}", "a forged delivery")
            try await post("{\"body\":\"not.a.token\"}", "a broken delivery")

            // Every read.
            for format in ["table", "json", "jsonl"] {
                _ = try await ctl("status", "--output", format)
                _ = try await ctl("events", "--output", format)
                _ = try await ctl("webhooks", "list", "--output", format)
            }
            _ = try await ctl("events", "show", "1", "--raw", "--output", "json")
            _ = try await ctl("events", "export")
            _ = try await ctl("events", "simulate", "user_added", "--webhook", "second")

            // Webhook management, failing and succeeding.
            await fake.enqueueFailures([.status(500, message: "internal error"), .status(500, message: "internal error"), .status(500, message: "internal error"), .status(500, message: "internal error")])
            _ = try await ctl("webhooks", "list", "--remote", "--output", "json")
            await fake.enqueueFailures([.status(401, message: "the signature is invalid")])
            _ = try await ctl("webhooks", "sync")
            _ = try await ctl("webhooks", "sync", "--dry-run", "--output", "json")
            _ = try await ctl("webhooks", "sync", "--output", "json")
            _ = try await ctl("webhooks", "list", "--remote", "--output", "table")
            _ = try await ctl("webhooks", "create", "--name", "made-here", "--url", "https://example.com/authy/webhook", "--event", "user_added", "--output", "json")
            _ = try await ctl("webhooks", "delete", "existing", "--output", "json")
            let madeHere = await fake.webhooks.first { $0.name == "made-here" }

            // The configuration check of the real binary, on a file holding every secret.
            let file = directory.file("check.conf")
            try """
                [Store]
                Database=\(directory.file("check.sqlite3"))
                [Control]
                Socket=\(directory.file("check.sock"))
                [Webhook]
                Name=main
                SigningKey=\(TestKeys.main)
                [Webhook]
                Name=second
                SigningKey=\(secondKey)
                [Authy]
                AppAPIKey=\(FakeKeys.app)
                AccessKey=\(FakeKeys.access)
                APISigningKey=\(FakeKeys.signing)
                """.write(toFile: file, atomically: true, encoding: .utf8)
            let check = try await CommandRunner.run([CommandRunner.binDirectory + "/authy-webhooksd", "--check-config", "--config", file])
            transcript.add("authy-webhooksd --check-config", check)
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stdout.contains("AppAPIKey="), "the effective configuration is printed, masked")

            for line in daemon.log.all { transcript.add("daemon log", line) }
            let secrets: [(String, String)] = [
                ("[Webhook] main SigningKey", TestKeys.main), ("[Webhook] second SigningKey", secondKey),
                ("AppAPIKey", FakeKeys.app), ("AccessKey", FakeKeys.access), ("APISigningKey", FakeKeys.signing),
                ("synced webhook's key", existing.signingKey), ("created webhook's key", madeHere?.signingKey ?? "(not created)"),
            ]
            #expect(madeHere != nil)
            #expect(transcript.totalBytes > 10_000, "the transcript holds a real session")
            for (name, secret) in secrets {
                #expect(transcript.leaks(of: secret).isEmpty, "\(name) appears in \(transcript.leaks(of: secret))")
            }

            // The search finds a key where one is shown on purpose, so the checks above can fail.
            let shown = try await CommandRunner.authyctl(["webhooks", "list", "--show-signing-keys", "--output", "json"], socket: socket)
            let revealed = Transcript()
            revealed.add("show-signing-keys", shown)
            #expect(revealed.leaks(of: secondKey) == ["show-signing-keys (stdout)"])
        }
    }
}

import AsyncHTTPClient
@testable import AuthyWebhooksDaemon
import ControlProtocol
import EventStore
import Foundation
import Synchronization
import Testing

@Suite("authyctl against a daemon on a temp socket")
struct AuthyCtlTests {
    func ctl(_ daemon: RunningDaemon, _ arguments: String...) async throws -> CommandResult {
        try await CommandRunner.authyctl(Array(arguments), socket: daemon.endpoints.controlSocket)
    }

    func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Stores events straight through the store (fast), as if they had been delivered.
    func seed(_ daemon: RunningDaemon, _ deliveries: [(webhook: String, types: [String])], payloadPadding: Int = 0) async throws {
        let store = try SQLiteEventStore(path: daemon.databasePath)
        let padding = String(repeating: "x", count: payloadPadding)
        var batch: [NewDelivery] = []
        for (index, delivery) in deliveries.enumerated() {
            let token = "seed.\(index).\(UUID().uuidString)"
            batch.append(NewDelivery(
                token: token, tokenSHA256: Array(token.utf8.prefix(32)) + Array(repeating: UInt8(index % 251), count: 8) + withUnsafeBytes(of: index) { Array($0) },
                remoteAddress: "127.0.0.1:1", webhook: delivery.webhook,
                events: delivery.types.map { NewEvent(type: $0, occurredAt: nil, requestID: "req_\(index)", payload: "{\"event\":\"\($0)\",\"pad\":\"\(padding)\"}") }))
            if batch.count == 500 {
                _ = try await store.record(batch)
                batch.removeAll()
            }
        }
        _ = try await store.record(batch)
        try await store.close()
    }

    @Test func statusAndSimulateRunTheWholePath() async throws {
        try await withDaemon { daemon in
            let simulated = try await ctl(daemon, "events", "simulate", "user_added", "--output", "json")
            #expect(simulated.status == 0, "\(simulated.stderr)")
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(simulated.stdout.utf8)) as? [String: Any])
            #expect(answer["status"] as? Int == 200)
            #expect(answer["webhook"] as? String == "main")

            let listed = jsonLines(try await ctl(daemon, "events", "--since", "-5m", "--output", "jsonl").stdout)
            #expect(listed.count == 1)
            let event = try #require(listed.first)
            for key in ["id", "type", "received_at", "occurred_at", "webhook", "delivery_id", "request_id", "payload"] {
                #expect(event[key] != nil, "missing \(key)")
            }
            #expect(event["type"] as? String == "user_added")
            #expect((event["payload"] as? [String: Any])?["event"] as? String == "user_added")

            let status = try await ctl(daemon, "status", "--output", "json")
            #expect(status.status == 0)
            let decoded = try ControlJSON.decoder().decode(StatusResponse.self, from: Data(status.stdout.utf8))
            #expect(decoded.events == 1)
            #expect(decoded.deliveries == 1)
            #expect(decoded.listeners == daemon.endpoints.receivers)
            #expect(decoded.version == ControlProtocolVersion.string)
            #expect(decoded.webhooks == ["main"])
            #expect(decoded.durability == "full", "the default, as the writer's connection reports it")

            let table = try await ctl(daemon, "status", "--output", "table")
            #expect(table.stdout.contains("Durability:     full (fsync per commit"), "\(table.stdout)")
        }
    }

    @Test func filtersLimitAndOrder() async throws {
        try await withDaemon { daemon in
            try await seed(daemon, (0..<30).map { ($0 % 3 == 0 ? "prod" : "staging", [$0 % 2 == 0 ? "user_added" : "token_verified"]) })
            func ids(_ arguments: String...) async throws -> [Int] {
                let result = try await CommandRunner.authyctl(Array(arguments) + ["--output", "jsonl"], socket: daemon.endpoints.controlSocket)
                #expect(result.status == 0, "\(result.stderr)")
                return jsonLines(result.stdout).compactMap { $0["id"] as? Int }
            }
            #expect(try await ids("events").count == 30)
            #expect(try await ids("events", "--limit", "5") == [26, 27, 28, 29, 30], "newest 5, oldest first")
            #expect(try await ids("events", "--limit", "5", "--reverse") == [30, 29, 28, 27, 26])
            #expect(try await ids("events", "--limit", "0").count == 30)
            #expect(try await ids("events", "--limit", "0", "--reverse").first == 30)
            #expect(try await ids("events", "--type", "user_added").count == 15)
            #expect(try await ids("events", "--type", "user_added", "--type", "token_verified").count == 30)
            #expect(try await ids("events", "--webhook", "prod").count == 10)
            #expect(try await ids("events", "--webhook", "prod", "--type", "user_added") == [1, 7, 13, 19, 25])
            #expect(try await ids("events", "--type", "unknown").isEmpty)
            for since in ["-1h", "-30m", "2h ago", "90s ago", "3 days ago", "today", "yesterday", "2026-01-01", "2026-01-01 10:00", "2026-01-01T10:00:00Z"] {
                #expect(try await ids("events", "--since", since).count == 30, "--since \(since)")
            }
            for until in ["-1h", "yesterday", "2026-01-01 10:00:00"] {
                #expect(try await ids("events", "--until", until).isEmpty, "--until \(until)")
            }
            #expect(try await ids("events", "--since", "now").isEmpty)
            #expect(try await ids("events", "--until", "now").count == 30)
        }
    }

    @Test func outputFormats() async throws {
        try await withDaemon { daemon in
            try await seed(daemon, (0..<3).map { _ in ("main", ["phone_verification_code_is_invalid"]) })
            let json = try await ctl(daemon, "events", "--output", "json")
            let array = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(array.count == 3)

            let table = try await ctl(daemon, "events", "--output", "table")
            let lines = table.stdout.split(separator: "\n")
            #expect(lines.count == 4)
            #expect(lines[0].hasPrefix("ID"))
            #expect(lines[0].contains("RECEIVED") && lines[0].contains("TYPE") && lines[0].contains("WEBHOOK") && lines[0].contains("REQUEST ID"))
            #expect(lines.allSatisfy { $0.count <= 80 }, "table must be readable at 80 columns")

            let empty = try await ctl(daemon, "events", "--type", "user_added", "--output", "json")
            #expect(empty.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        }
    }

    @Test func showRawPrintsTheTokenAndItsPartsAsReceived() async throws {
        try await withDaemon { daemon in
            let token = Tokens.signed(["token_verified"])
            #expect(try await daemon.post("{\"body\":\"\(token)\"}").status == 200)
            let shown = try await ctl(daemon, "events", "show", "1", "--raw", "--output", "table")
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(shown.stdout.contains("Token:      \(token)"))
            #expect(shown.stdout.contains("Header:     {\"alg\":\"HS256\",\"typ\":\"JWT\"}"))
            #expect(shown.stdout.contains("Claims:     " + Tokens.events(["token_verified"], requestPrefix: "").prefix(20)))
            let json = try await ctl(daemon, "events", "show", "1", "--raw", "--output", "json")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let raw = try #require(object["raw"] as? [String: Any])
            #expect(raw["token"] as? String == token)
            #expect((raw["header"] as? [String: Any])?["alg"] as? String == "HS256", "the header is an object, not JSON inside a string")
            let claims = try #require(raw["claims"] as? [String: Any], "the claims are an object, not JSON inside a string")
            #expect(claims["url"] as? String == "https://example.com/authy/webhook")
            #expect((object["event"] as? [String: Any])?["type"] as? String == "token_verified")
            let missing = try await ctl(daemon, "events", "show", "999")
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("no event with id 999"))
        }
    }

    @Test func followPrintsAnEventStoredAfterItStarted() async throws {
        try await withDaemon { daemon in
            try await seed(daemon, [("main", ["user_added"])])
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandRunner.binDirectory + "/authyctl")
            process.arguments = ["events", "--follow", "--limit", "1", "--output", "jsonl", "--socket", daemon.endpoints.controlSocket]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            defer { if process.isRunning { process.terminate() } }
            let lines = LineReader(handle: pipe.fileHandleForReading)
            let backlog = try #require(await lines.next(timeout: .seconds(20)))
            #expect(backlog.contains("\"id\":1"))
            let token = Tokens.signed(["user_removed"])
            #expect(try await daemon.post("{\"body\":\"\(token)\"}").status == 200)
            let followed = try #require(await lines.next(timeout: .seconds(20)), "the new event did not arrive")
            #expect(followed.contains("\"type\":\"user_removed\""))
            process.terminate()
            process.waitUntilExit()
        }
    }

    @Test func exportStreamsTenThousandEventsInConstantMemory() async throws {
        try await withDaemon { daemon in
            try await seed(daemon, (0..<1_000).map { _ in ("main", ["user_added"]) }, payloadPadding: 2000)
            let small = try await CommandRunner.authyctl(["events", "export"], socket: daemon.endpoints.controlSocket, measuringMemory: true)
            #expect(small.status == 0)
            #expect(small.stdout.split(separator: "\n").count == 1_000)
            try await seed(daemon, (0..<9_000).map { _ in ("main", ["user_added"]) }, payloadPadding: 2000)
            let large = try await CommandRunner.authyctl(["events", "export"], socket: daemon.endpoints.controlSocket, measuringMemory: true)
            #expect(large.status == 0)
            let lines = large.stdout.split(separator: "\n")
            #expect(lines.count == 10_000)
            #expect(large.stdout.utf8.count > 20_000_000)
            // 18 MB more output must not mean 18 MB more memory: the export is streamed. (A buffered export would
            // grow by the whole output or more; the margin covers allocator noise.)
            let smallKiB = try #require(small.peakRSSKiB), largeKiB = try #require(large.peakRSSKiB)
            #expect(largeKiB - smallKiB < 10 * 1024, "RSS grew from \(smallKiB) KiB to \(largeKiB) KiB")
            print("export memory: peak RSS \(smallKiB) KiB for \(small.stdout.utf8.count) bytes, \(largeKiB) KiB for \(large.stdout.utf8.count) bytes")
            let ids = lines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? Int }
            #expect(ids == Array(1...10_000))
        }
    }

    /// A reader that stops early ends authyctl like cat (SIGPIPE, nothing on stderr); a full disk is exit 74.
    @Test func outputThatCannotBeWrittenEndsAuthyctlTheUnixWay() async throws {
        try await withDaemon { daemon in
            // About 300 KB of output: more than a pipe holds, so authyctl is still writing when head has gone.
            try await seed(daemon, (0..<150).map { _ in ("main", ["user_added"]) }, payloadPadding: 2000)
            let authyctl = CommandRunner.binDirectory + "/authyctl"
            let pipeline = try await CommandRunner.run([
                "/bin/bash", "-c", #"set -o pipefail; "$0" events export --socket "$1" | head -c 100 > /dev/null; echo "status=$?""#,
                authyctl, daemon.endpoints.controlSocket,
            ])
            #expect(pipeline.stdout == "status=141\n", "killed by SIGPIPE (128 + 13), as cat would be")
            #expect(pipeline.stderr.isEmpty, "no trap, no stack trace: \(pipeline.stderr)")

            let full = try await CommandRunner.run([
                "/bin/bash", "-c", #""$0" events export --socket "$1" > /dev/full"#, authyctl, daemon.endpoints.controlSocket,
            ])
            #expect(full.status == 74)
            #expect(full.stderr == "authyctl: cannot write the output: No space left on device\n")

            let configuration = daemon.directory.file("check.conf")
            try "[Receiver]\nListen=127.0.0.1:0\n".write(toFile: configuration, atomically: true, encoding: .utf8)
            let check = try await CommandRunner.run([
                "/bin/bash", "-c", #""$0" --check-config --config "$1" > /dev/full"#,
                CommandRunner.binDirectory + "/authy-webhooksd", configuration,
            ])
            #expect(check.status == 74)
            #expect(check.stderr.hasPrefix("authy-webhooksd: cannot write the output: No space left on device\n"), "\(check.stderr)")
        }
    }

    @Test func errorsHaveClearMessagesAndExitCodes() async throws {
        let missing = try await CommandRunner.authyctl(["status"], socket: "/tmp/no-such-dir/control.sock")
        #expect(missing.status == 69)
        #expect(missing.stderr.contains("cannot reach authy-webhooksd at /tmp/no-such-dir/control.sock"))
        #expect(missing.stderr.contains("is the service running?"))
        #expect(missing.stdout.isEmpty)

        let viaEnvironment = try await CommandRunner.authyctl(["status"], socket: nil, environment: ["AUTHYCTL_SOCKET": "/tmp/also-missing.sock"])
        #expect(viaEnvironment.status == 69)
        #expect(viaEnvironment.stderr.contains("/tmp/also-missing.sock"))

        let badArgument = try await CommandRunner.authyctl(["events", "--limit", "lots"], socket: nil)
        #expect(badArgument.status == 64)
        #expect(badArgument.stderr.contains("Usage:"))

        let badTime = try await CommandRunner.authyctl(["events", "--since", "the day before"], socket: nil)
        #expect(badTime.status == 64)
        #expect(badTime.stderr.contains("today") && badTime.stderr.contains("ago"), "the error lists the accepted forms")
        #expect(badTime.stderr.contains("See 'authyctl events list --help'"), "points at the command that took the time, not the root")
        #expect(!badTime.stderr.contains("Usage: authyctl <subcommand>"))

        // Relative times start with "-" and contain letters such as "h": they must never be taken for -h.
        let reversed = try await CommandRunner.authyctl(["events", "export", "--since", "-1h", "--until", "-2h"], socket: nil)
        #expect(reversed.status == 64)
        #expect(reversed.stderr.contains("--until must be later than --since"))
        #expect(reversed.stdout.isEmpty, "no help text on stdout for a refused command")

        let badCutoff = try await CommandRunner.authyctl(["events", "prune", "--before", "the old days"], socket: nil)
        #expect(badCutoff.status == 64)
        #expect(badCutoff.stderr.contains("--before") && badCutoff.stderr.contains("authyctl events prune --help"))

        let unknownCommand = try await CommandRunner.authyctl(["frobnicate"], socket: nil)
        #expect(unknownCommand.status == 64)

        let help = try await CommandRunner.authyctl(["events", "--help"], socket: nil)
        #expect(help.status == 0)
        #expect(help.stdout.contains("SUBCOMMANDS") && help.stdout.contains("simulate"))
        let listHelp = try await CommandRunner.authyctl(["events", "list", "--help"], socket: nil)
        #expect(listHelp.stdout.contains("--since") && listHelp.stdout.contains("3 days ago"), "the help teaches the time forms")
        let completion = try await CommandRunner.authyctl(["--generate-completion-script", "bash"], socket: nil)
        #expect(completion.status == 0)
        #expect(completion.stdout.contains("authyctl"))
    }

    @Test("one connection per command: nothing probes the socket first and takes a second slot")
    func oneConnectionPerCommand() async throws {
        let folder = try TemporaryDirectory()
        let body = #"{"error":{"code":"unknown_webhook","message":"no webhook named demo"}}"#
        let server = try CountingSocketServer(
            path: folder.file("control.sock"),
            answer: "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        defer { server.stop() }
        let answered = try await CommandRunner.authyctl(["webhooks", "delete", "demo"], socket: server.path)
        #expect(answered.status == 1)
        #expect(answered.stderr.contains("no webhook named demo [unknown_webhook]"))
        #expect(server.connections == 1)
    }

    @Test("a socket file that nobody serves: exit 69, with the connect's own reason")
    func aRefusedConnectIsUnavailable() async throws {
        let folder = try TemporaryDirectory()
        // A socket bound and closed without listening stays as a file that refuses connections, as the file of a
        // daemon killed with -9 does.
        let stale = folder.file("control.sock")
        try CountingSocketServer.leaveStaleSocket(at: stale)
        let refused = try await CommandRunner.authyctl(["status"], socket: stale)
        #expect(refused.status == 69)
        #expect(refused.stderr.contains("cannot reach authy-webhooksd at \(stale): Connection refused; is the service running?"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
    }

    @Test func aUserWithoutAccessIsToldWhichGroupIsNeeded() async throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
        try await withDaemon { daemon in
            let refused = try await CommandRunner.authyctl(
                ["status"], socket: daemon.endpoints.controlSocket,
                prefix: ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            #expect(refused.status == 77, "\(refused.stderr)")
            #expect(refused.stderr.contains("permission denied"))
            #expect(refused.stderr.contains("group root"))
        }
    }
}

/// Collects lines from a pipe as they arrive (a test helper: `next` checks every 20 ms until its deadline).
final class LineReader: Sendable {
    private let state = Mutex<(buffer: Data, lines: [String])>((Data(), []))

    init(handle: FileHandle) {
        handle.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            self?.state.withLock { state in
                state.buffer.append(data)
                while let newline = state.buffer.firstIndex(of: 0x0A) {
                    state.lines.append(String(decoding: state.buffer[state.buffer.startIndex..<newline], as: UTF8.self))
                    state.buffer.removeSubrange(state.buffer.startIndex...newline)
                }
            }
        }
    }

    func next(timeout: Duration) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = state.withLock({ $0.lines.isEmpty ? nil : $0.lines.removeFirst() }) {
                return line
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}

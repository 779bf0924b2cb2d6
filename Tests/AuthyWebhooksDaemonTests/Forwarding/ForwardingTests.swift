import Foundation
import Testing

/// Forwarding end to end: a real daemon, a real HTTP handler on loopback or a real program, real authyctl.
@Suite("Forwarding")
struct ForwardingTests {
    static let secret = "whsec_" + Data((0..<32).map { UInt8($0 * 7 % 256) }).base64EncodedString()

    func ctl(_ daemon: RunningDaemon, _ arguments: String...) async throws -> CommandResult {
        try await CommandRunner.authyctl(Array(arguments), socket: daemon.endpoints.controlSocket)
    }

    func targetStatus(_ daemon: RunningDaemon, _ name: String) async throws -> [String: Any] {
        let result = try await ctl(daemon, "forward", "status", name, "--output", "json")
        let list = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        return list?.first ?? [:]
    }

    func deliver(_ daemon: RunningDaemon, _ types: [String] = ["user_added"]) async throws {
        let answer = try await daemon.post(Tokens.signed(types))
        #expect(answer.status == 200)
    }

    @Test func aURLTargetGetsTheEventsLineSignedTheStandardWebhooksWay() async throws {
        let sink = try await ForwardSink(secret: Self.secret)
        try await withDaemon("[Forward]\nName=app\nURL=\(sink.url)\nSecret=\(Self.secret)\n") { daemon in
            try await deliver(daemon)
            let received = try await sink.waitFor(1)
            try #require(received.count == 1)
            let line = try await ctl(daemon, "events", "--since", "-5m", "--output", "jsonl").stdout
            #expect(received[0].body + "\n" == line)
            let id = try #require((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? Int)
            let headers = received[0].headers
            #expect(headers["webhook-id"] == "evt_\(id)")
            #expect(headers["content-type"] == "application/json")
            #expect(headers["user-agent"]?.hasPrefix("authy-webhooksd/") == true)
            #expect(headers["authy-forward-attempt"] == "1")
            #expect(abs((Double(headers["webhook-timestamp"] ?? "") ?? 0) - Date().timeIntervalSince1970) < 60)
            #expect(received[0].verified == true, "the standardwebhooks library refused the signature")
            #expect(try await eventually { try await targetStatus(daemon, "app")["delivered"] as? Int == 1 })
            for text in daemon.log.all + [line] { #expect(!text.contains(Self.secret)) }
        }
    }

    @Test func failuresAreRetriedWithTheSameIdAndRetryAfterIsHonoured() async throws {
        let sink = try await ForwardSink(plan: ["500", "503 1", "204"])
        try await withDaemon("[Forward]\nName=app\nURL=\(sink.url)\nRetrySchedule=100ms 100ms 100ms\n") { daemon in
            let started = Date()
            try await deliver(daemon)
            let received = try await sink.waitFor(3)
            try #require(received.count == 3)
            #expect(received.map { $0.headers["authy-forward-attempt"] } == ["1", "2", "3"])
            #expect(Set(received.map { $0.headers["webhook-id"] }).count == 1)
            #expect(Date().timeIntervalSince(started) >= 1.0, "Retry-After: 1 was not waited for")
            #expect(try await eventually { try await targetStatus(daemon, "app")["delivered"] as? Int == 1 })
            let id = try #require(received[0].headers["webhook-id"]?.dropFirst(4)).description
            let shown = try await ctl(daemon, "events", "show", id, "--output", "table")
            #expect(shown.stdout.contains("Forward app: delivered"))
            #expect(shown.stdout.contains("HTTP 500"))
            #expect(shown.stdout.contains("handler says 503"), "the kept answer body")
            let json = try await ctl(daemon, "events", "show", id, "--output", "json")
            #expect(json.stdout.contains("\"forwarding\":[{\"attempts\":[{\"attempt\":1,"))
        }
    }

    @Test func goneIsDeadAtOnceAndRetryQueuesItAgain() async throws {
        let sink = try await ForwardSink(plan: ["410"])
        try await withDaemon("[Forward]\nName=app\nURL=\(sink.url)\n") { daemon in
            try await deliver(daemon)
            #expect(try await eventually { try await targetStatus(daemon, "app")["dead"] as? Int == 1 })
            #expect(sink.received.count == 1)
            #expect(daemon.log.all.contains { $0.contains("forward_result=dead") && $0.contains("http_status=410") })
            let retried = try await ctl(daemon, "forward", "retry", "app")
            #expect(retried.status == 0)
            #expect(retried.stdout.contains("\"count\":1"))
            #expect(try await eventually { try await targetStatus(daemon, "app")["delivered"] as? Int == 1 })
            #expect(sink.received.map { $0.headers["authy-forward-attempt"] } == ["1", "2"])
        }
    }

    @Test func theLastFailedAttemptOfTheScheduleMakesTheEventDead() async throws {
        let sink = try await ForwardSink(plan: ["500", "302"])
        try await withDaemon("[Forward]\nName=app\nURL=\(sink.url)\nRetrySchedule=50ms\n") { daemon in
            try await deliver(daemon)
            #expect(try await eventually { try await targetStatus(daemon, "app")["dead"] as? Int == 1 })
            #expect(sink.received.count == 2, "a 3xx is a failure, not followed, and one wait allows two attempts")
            #expect(try await targetStatus(daemon, "app")["last_error"] as? String == "the handler answered HTTP 302")
        }
    }

    @Test func anExecTargetGetsTheLineOnStdinAndAPlainEnvironment() async throws {
        let directory = try TemporaryDirectory()
        let handler = try script("append.sh", in: directory, """
            cat >> \(directory.file("events.jsonl"))
            env | sort > \(directory.file("env.txt"))
            pwd > \(directory.file("pwd.txt"))
            echo "handled"
            """)
        try await withDaemon("[Forward]\nName=local\nExec=\(handler) --flag\n") { daemon in
            try await deliver(daemon, ["user_added", "token_verified"])
            let delivered = try await eventually { try await targetStatus(daemon, "local")["delivered"] as? Int == 2 }
            let localStatus = try await targetStatus(daemon, "local")
            #expect(delivered, "\(localStatus)")
            let line = try await ctl(daemon, "events", "--since", "-5m", "--output", "jsonl").stdout
            let written = try String(contentsOfFile: directory.file("events.jsonl"), encoding: .utf8)
            #expect(written.split(separator: "\n").sorted() == line.split(separator: "\n").sorted())
            let environment = try String(contentsOfFile: directory.file("env.txt"), encoding: .utf8)
            let names = Set(environment.split(separator: "\n").compactMap { $0.split(separator: "=").first.map(String.init) })
            #expect(names.isSubset(of: ["PATH", "WEBHOOK_ID", "AUTHY_EVENT_ID", "AUTHY_EVENT_TYPE", "AUTHY_WEBHOOK",
                                        "AUTHY_FORWARD_TARGET", "AUTHY_FORWARD_ATTEMPT", "PWD", "SHLVL", "_"]), "\(names)")
            #expect(environment.contains("AUTHY_FORWARD_TARGET=local"))
            #expect(environment.contains("AUTHY_WEBHOOK=main"))
            #expect(try String(contentsOfFile: directory.file("pwd.txt"), encoding: .utf8) == "/\n")
            let id = try #require(line.split(separator: "\n").first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }?["id"] as? Int)
            let shown = try await ctl(daemon, "events", "show", String(id), "--output", "table")
            #expect(shown.stdout.contains("exit 0"))
            #expect(shown.stdout.contains("| handled"))
        }
    }

    @Test func anExecTargetThatExits65OrHangsIsDeadOrKilled() async throws {
        let directory = try TemporaryDirectory()
        let refuses = try script("refuse.sh", in: directory, "cat > /dev/null; echo 'not for me' >&2; exit 65")
        let hangs = try script("hang.sh", in: directory, "echo $$ > \(directory.file("hang.pid")); exec sleep 30")
        try await withDaemon("""
            [Forward]
            Name=refuses
            Exec=\(refuses)
            [Forward]
            Name=hangs
            Exec=\(hangs)
            Timeout=300ms
            RetrySchedule=

            """) { daemon in
            try await deliver(daemon)
            let refused = try await eventually { try await targetStatus(daemon, "refuses")["dead"] as? Int == 1 }
            let refusedStatus = try await targetStatus(daemon, "refuses")
            #expect(refused, "\(refusedStatus)")
            #expect(try await eventually { try await targetStatus(daemon, "hangs")["dead"] as? Int == 1 })
            let hangError = try await targetStatus(daemon, "hangs")["last_error"] as? String
            #expect(hangError?.contains("Timeout=") == true, "\(hangError ?? "-")")
            let pid = try #require(Int32((try String(contentsOfFile: directory.file("hang.pid"), encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(await eventually(within: .seconds(10)) { kill(pid, 0) != 0 }, "the hung handler still runs")
        }
    }

    @Test func filtersChooseWhatATargetIsOwed() async throws {
        let sink = try await ForwardSink()
        try await withDaemon("[Forward]\nName=app\nURL=\(sink.url)\nEvents=user_added unknown\nWebhooks=main\n[Forward]\nName=other\nURL=\(sink.url)\nWebhooks=elsewhere\n") { daemon in
            try await deliver(daemon, ["user_added", "token_verified"])
            let received = try await sink.waitFor(1)
            try await Task.sleep(for: .milliseconds(500))
            #expect(received.count == 1)
            #expect(sink.received.count == 1)
            #expect(received.first?.body.contains("\"type\":\"user_added\"") == true)
            #expect(try await targetStatus(daemon, "other")["pending"] as? Int == 0)
        }
    }

    @Test func fifoHoldsLaterEventsBehindAFailingOne() async throws {
        let sink = try await ForwardSink(plan: ["500", "500"])
        try await withDaemon("[Forward]\nName=app\nURL=\(sink.url)\nOrdering=fifo\nRetrySchedule=300ms 300ms\n") { daemon in
            for _ in 0..<3 { try await deliver(daemon) }
            let received = try await sink.waitFor(5)
            let ids = received.map { $0.headers["webhook-id"] ?? "" }
            #expect(ids.count == 5)
            #expect(ids[0] == ids[1] && ids[1] == ids[2], "the head is retried before anything behind it: \(ids)")
            #expect(ids == ids.sorted { Int($0.dropFirst(4))! < Int($1.dropFirst(4))! }, "stored order: \(ids)")
            #expect(Set(ids).count == 3)
        }
    }

    @Test func pauseIsPersistedAcrossARestartAndReplayResends() async throws {
        let sink = try await ForwardSink()
        let directory = try TemporaryDirectory()
        let section = "[Forward]\nName=app\nURL=\(sink.url)\n"
        try await withDaemon(section, directory: directory) { daemon in
            let paused = try await ctl(daemon, "forward", "pause", "app")
            #expect(paused.status == 0)
            try await deliver(daemon)
            try await Task.sleep(for: .milliseconds(500))
            #expect(sink.received.isEmpty)
        }
        try await withDaemon(section, directory: directory) { daemon in
            #expect(try await targetStatus(daemon, "app")["state"] as? String == "paused")
            #expect(try await targetStatus(daemon, "app")["pending"] as? Int == 1)
            #expect(try await ctl(daemon, "forward", "resume", "app").status == 0)
            #expect(try await sink.waitFor(1).count == 1)
            let dry = try await ctl(daemon, "forward", "replay", "app", "--since=-1h", "--dry-run", "--output", "table")
            #expect(dry.stdout.contains("1 event(s) would be queued"), "\(dry.stderr)")
            let replayed = try await ctl(daemon, "forward", "replay", "app", "--since=-1h", "--output", "json")
            #expect(replayed.stdout.contains("\"count\":1"), "\(replayed.stderr)")
            let again = try await sink.waitFor(2)
            #expect(again.count == 2)
            #expect(again.first?.headers["webhook-id"] == again.last?.headers["webhook-id"])
        }
    }

    @Test func aRemovedTargetKeepsWhatItIsOwedAndCanBeDropped() async throws {
        let directory = try TemporaryDirectory()
        // Nothing listens on port 9 of loopback: every attempt is refused and waits an hour for the next.
        let down = "[Forward]\nName=app\nURL=http://127.0.0.1:9/hook\nRetrySchedule=1h\n"
        try await withDaemon(down, directory: directory) { daemon in
            try await deliver(daemon)
            #expect(try await eventually { try await targetStatus(daemon, "app")["retrying"] as? Int == 1 })
            let refused = try await ctl(daemon, "forward", "drop", "app")
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("still a [Forward] target"))
        }
        try await withDaemon("", directory: directory) { daemon in
            let status = try await targetStatus(daemon, "app")
            #expect(status["state"] as? String == "removed")
            #expect(status["retrying"] as? Int == 1)
            let shown = try await ctl(daemon, "status", "--output", "table")
            #expect(shown.stdout.contains("Forward app:"))
        }
        let sink = try await ForwardSink()
        try await withDaemon("[Forward]\nName=app\nURL=\(sink.url)\n", directory: directory) { daemon in
            let state = try await targetStatus(daemon, "app")["state"] as? String
            #expect(state == "active")
            let retried = try await ctl(daemon, "forward", "retry", "app")
            #expect(retried.status == 0)
            let received = try await sink.waitFor(1)
            #expect(received.count == 1)
        }
        try await withDaemon("", directory: directory) { daemon in
            let dropped = try await ctl(daemon, "forward", "drop", "app")
            #expect(dropped.status == 0)
            #expect(dropped.stdout.contains("\"count\":1"))
            let unknown = try await ctl(daemon, "forward", "status", "app")
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("no forward target named"))
        }
    }
}

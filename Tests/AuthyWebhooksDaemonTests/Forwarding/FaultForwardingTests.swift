import Crypto
import EventStore
import Foundation
import Testing

/// At least once across crashes and stops: the real binary, `kill -9` and SIGTERM during an attempt.
@Suite("FaultForwardingTests", .serialized)
struct FaultForwardingTests {
    /// A handler that records each start (with its WEBHOOK_ID) and hangs on the first one only.
    func handler(in directory: TemporaryDirectory) throws -> String {
        try script("handler.sh", in: directory, """
            cat > /dev/null
            echo "$WEBHOOK_ID $AUTHY_FORWARD_ATTEMPT" >> \(directory.file("starts"))
            if [ "$(wc -l < \(directory.file("starts")))" -eq 1 ]; then exec sleep 30; fi
            exit 0
            """)
    }

    func starts(_ directory: TemporaryDirectory) -> [String] {
        ((try? String(contentsOfFile: directory.file("starts"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func anAttemptCutByKill9IsMadeAgainAfterTheRestartWithTheSameId() async throws {
        let directory = try TemporaryDirectory()
        let section = "[Forward]\nName=local\nExec=\(try handler(in: directory))\nTimeout=60s\n"
        let http = FaultClient.make()
        let first = try await SpawnedDaemon.start(directory: directory.path, extraConfiguration: section)
        let answer = await FaultClient.deliver(Tokens.signed(), to: first.deliveryURL, http: http)
        #expect(answer.isAcknowledged)
        #expect(await eventually { starts(directory).count == 1 })
        first.signal(SIGKILL)
        _ = try await first.waitForExit()
        let second = try await SpawnedDaemon.start(directory: directory.path, extraConfiguration: section, run: 1)
        #expect(await eventually { starts(directory).count == 2 })
        let runs = starts(directory)
        #expect(runs.count == 2)
        #expect(runs.first?.split(separator: " ").first == runs.last?.split(separator: " ").first, "the same webhook-id: \(runs)")
        second.signal(SIGTERM)
        #expect(try await second.waitForExit()?.status == 0)
        try await http.shutdown()
    }

    @Test func onSIGTERMAttemptsInFlightGetTenSecondsThenAreMadeAgainAfterTheRestart() async throws {
        let directory = try TemporaryDirectory()
        let section = "[Forward]\nName=local\nExec=\(try handler(in: directory))\nTimeout=60s\n"
        let http = FaultClient.make()
        let first = try await SpawnedDaemon.start(directory: directory.path, extraConfiguration: section)
        #expect(await FaultClient.deliver(Tokens.signed(), to: first.deliveryURL, http: http).isAcknowledged)
        #expect(await eventually { starts(directory).count == 1 })
        let stopping = ContinuousClock.now
        first.signal(SIGTERM)
        let exit = try await first.waitForExit(within: .seconds(25))
        let took = ContinuousClock.now - stopping
        #expect(exit?.status == 0)
        #expect(took >= .seconds(9) && took < .seconds(20), "stopped after \(took)")
        let second = try await SpawnedDaemon.start(directory: directory.path, extraConfiguration: section, run: 1)
        #expect(await eventually { starts(directory).count == 2 })
        second.signal(SIGTERM)
        #expect(try await second.waitForExit()?.status == 0)
        try await http.shutdown()
    }

    /// The backlog lives in the database: a daemon owing 100,000 events to a target that is down (every attempt
    /// refused at once) runs in the memory of one owing 10,000, measured on the real binary the same way (peak RSS
    /// after the same 8 s of attempting), one daemon after the other. Both keep attempting for the whole time (about
    /// 250 refused attempts a second), so what differs is the backlog's size alone. The growth over an idle daemon
    /// on an empty database is printed too: SQLite's page caches (5 connections, 2 MiB each at most) fill as the
    /// claims read the job table, whatever its size.
    @Test func aHundredThousandUndeliveredEventsDoNotGrowTheDaemonsMemory() async throws {
        let section = "[Forward]\nName=down\nURL=http://127.0.0.1:1/events\nRetrySchedule=1h\n"
        var peaks: [Int: Int] = [:]
        var attempted: [Int: Int] = [:]
        for backlog in [0, 10_000, 100_000] {
            let directory = try TemporaryDirectory()
            try await seed(directory.file("db.sqlite3"), events: backlog, owedTo: "down")
            let daemon = try await SpawnedDaemon.start(directory: directory.path, extraConfiguration: section)
            try await Task.sleep(for: .seconds(8))
            let peak = try #require(daemon.peakRSSKiB)
            peaks[backlog] = peak
            attempted[backlog] = daemon.log.components(separatedBy: "to down (attempt").count - 1
            daemon.signal(SIGTERM)
            #expect(try await daemon.waitForExit()?.status == 0)
        }
        let (empty, small, large) = (peaks[0] ?? 0, peaks[10_000] ?? 0, peaks[100_000] ?? 0)
        print("forward backlog memory: peak RSS \(empty) KiB idle on an empty database, \(small) KiB owing 10000 events "
              + "(\(attempted[10_000] ?? 0) attempts in 8 s), \(large) KiB owing 100000 (\(attempted[100_000] ?? 0) attempts): "
              + "+\(large - small) KiB for 90000 more events, +\(large - empty) KiB over idle")
        #expect((attempted[10_000] ?? 0) > 100 && (attempted[100_000] ?? 0) > 100, "each daemon kept attempting its backlog")
        #expect(large - small < 4 * 1024, "90,000 more undelivered events grew the peak RSS by \(large - small) KiB")
        #expect(large - empty < 16 * 1024, "the backlog grew the peak RSS by \(large - empty) KiB over an idle daemon")
    }

    /// `count` events, each owed to `target`, written straight into a fresh store in batches of 1000 (what the daemon
    /// would have stored while the target was down, in seconds instead of minutes of HTTP).
    func seed(_ path: String, events count: Int, owedTo target: String) async throws {
        let store = try SQLiteEventStore(path: path)
        try await store.declareForwardTargets([.init(name: target, kind: "url")], at: Date())
        for batch in stride(from: 0, to: count, by: 1000) {
            let deliveries = (batch..<min(batch + 1000, count)).map { index in
                let token = "backlog-\(index)"
                return NewDelivery(token: token, tokenSHA256: Array(SHA256.hash(data: Data(token.utf8))), remoteAddress: nil, webhook: "main",
                                   events: [NewEvent(type: "user_added", occurredAt: nil, requestID: "req_\(index)", payload: #"{"event":"user_added"}"#)])
            }
            _ = try await store.record(deliveries, forwardingTo: [ForwardRoute(target: target)])
        }
        try await store.close()
    }
}

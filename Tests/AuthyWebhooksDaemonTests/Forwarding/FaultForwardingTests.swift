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
}

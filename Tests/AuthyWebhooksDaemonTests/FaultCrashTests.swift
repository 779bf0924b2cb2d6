import AsyncHTTPClient
import Foundation
import Testing

/// The real binary killed or stopped in the middle of a load: nothing that was acknowledged is ever lost.
@Suite("Faults: crash and stop under load", .serialized)
struct FaultCrashTests {
    /// `kill -9` at three different moments (after 20, 60 and 120 acknowledgements, with deliveries in flight each
    /// time), each followed by a restart on the same database.
    @Test func aKillNineMidLoadLosesNoAcknowledgedDeliveryAndResendsAreStoredOnce() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("db.sqlite3")
        try await withFaultClient { http in
            var everySent: [FaultLoad.Sent] = []
            var unacknowledged: [FaultLoad.Sent] = []
            var committedWithoutAnswer = 0
            for (round, killPoint) in [20, 60, 120].enumerated() {
                let daemon = try await SpawnedDaemon.start(directory: directory.path, run: round)
                defer { daemon.forceStop() }
                // Authy retries what it was not told we have: each stored once, whether or not the crash had
                // committed it before the connection died.
                for delivery in unacknowledged {
                    let answer = await FaultClient.deliver(delivery.token, to: daemon.deliveryURL, http: http)
                    #expect(answer == .acknowledged, "resending \(delivery.id) after restart \(round)")
                }
                unacknowledged = []

                let load = FaultLoad()
                async let loadFinished: Void = load.run(clients: 4, prefix: "crash\(round)", url: daemon.deliveryURL, http: http)
                try await load.waitForAcknowledged(killPoint, daemon: daemon)
                daemon.signal(SIGKILL)
                await loadFinished
                let exit = try await daemon.waitForExit()
                #expect(exit?.status == 128 + SIGKILL, "the daemon was killed, not stopped")

                #expect(try FaultDatabase.integrityCheck(database) == "ok")
                let stored = try FaultDatabase.eventsPerRequestID(database)
                for delivery in load.results {
                    if delivery.answer.isAcknowledged {
                        #expect(stored[delivery.requestID] == 1, "acknowledged \(delivery.id) lost by kill \(round)")
                    } else {
                        #expect(delivery.answer == .noAnswer, "\(delivery.id): \(delivery.answer)")
                        if stored[delivery.requestID] != nil { committedWithoutAnswer += 1 }
                        unacknowledged.append(delivery)
                    }
                }
                // Each client stops at its first unanswered delivery: the kill hit all four mid-request.
                #expect(unacknowledged.count == 4)
                everySent += load.results
            }

            let daemon = try await SpawnedDaemon.start(directory: directory.path, run: 3)
            defer { daemon.forceStop() }
            for delivery in unacknowledged {
                #expect(await FaultClient.deliver(delivery.token, to: daemon.deliveryURL, http: http) == .acknowledged)
            }
            daemon.signal(SIGTERM)
            #expect(try await daemon.waitForExit()?.status == 0)

            #expect(try FaultDatabase.integrityCheck(database) == "ok")
            let stored = try FaultDatabase.eventsPerRequestID(database)
            #expect(stored.count == everySent.count, "every delivery sent is stored, and nothing else")
            for delivery in everySent {
                #expect(stored[delivery.requestID] == 1, "\(delivery.id) stored \(stored[delivery.requestID] ?? 0) times")
            }
            // Not asserted (it depends on timing), reported for the curious: commits the kill cut off before the 200.
            print("crash test: \(everySent.count) deliveries, \(committedWithoutAnswer) committed but unanswered at a kill")
        }
    }

    /// SIGTERM in the middle of a load: in-flight deliveries are committed and answered, or answered with a
    /// refusal and not stored, or not answered at all; the daemon exits 0.
    @Test func sigtermMidLoadAnswersOnlyWhatItStoredAndExitsZero() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("db.sqlite3")
        try await withFaultClient { http in
            let daemon = try await SpawnedDaemon.start(directory: directory.path)
            defer { daemon.forceStop() }
            let load = FaultLoad()
            async let loadFinished: Void = load.run(clients: 4, prefix: "stop", url: daemon.deliveryURL, http: http)
            try await load.waitForAcknowledged(40, daemon: daemon)
            daemon.signal(SIGTERM)
            await loadFinished
            let exit = try await daemon.waitForExit()
            #expect(exit?.status == 0, "daemon log:\n\(daemon.log)")
            #expect(daemon.log.contains("authy-webhooksd stopped"))

            #expect(try FaultDatabase.integrityCheck(database) == "ok")
            let stored = try FaultDatabase.eventsPerRequestID(database)
            var refused = 0
            for delivery in load.results {
                switch delivery.answer {
                case .acknowledged:
                    #expect(stored[delivery.requestID] == 1, "acknowledged \(delivery.id) is not stored")
                case .refused(let status, let code):
                    refused += 1
                    #expect(status == 503 && code == "shutting_down", "\(delivery.id): \(status) \(code)")
                    #expect(stored[delivery.requestID] == nil, "refused \(delivery.id) was stored")
                case .noAnswer:
                    #expect((stored[delivery.requestID] ?? 0) <= 1)
                }
            }
            #expect(load.results.filter { !$0.answer.isAcknowledged }.count == 4)
            print("stop test: \(load.acknowledgedCount.load(ordering: .relaxed)) acknowledged, \(refused) refused with 503 while stopping")
        }
    }
}

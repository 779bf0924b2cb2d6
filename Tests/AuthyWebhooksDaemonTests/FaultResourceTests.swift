import AsyncHTTPClient
import Foundation
import GRDB
import Synchronization
import Testing

/// The real binary when a resource runs out: disk space, the database lock, the write path, connections.
@Suite("Faults: disk full, locked database, overload, slowloris", .serialized)
struct FaultResourceTests {
    /// The database on a 4 MiB tmpfs, then the rest of the tmpfs taken by a filler file.
    @Test(.enabled(if: getuid() == 0, "mounting a tmpfs needs root (CI runs the tests as root)"))
    func aFullDiskGets503NeverAFalse2xxAndRecoversByItselfWhenSpaceIsFreed() async throws {
        let directory = try TemporaryDirectory()
        let mountPoint = directory.file("small")
        let database = mountPoint + "/db.sqlite3"
        try await Tmpfs.withMount(at: mountPoint, size: "4m") {
            try await withFaultClient { http in
                let daemon = try await SpawnedDaemon.start(directory: directory.path, database: database)
                defer { daemon.forceStop() }
                var sent: [(id: String, answer: DeliveryAnswer)] = []
                func send(_ id: String) async -> DeliveryAnswer {
                    // ~20 KB of token each, so the database needs new pages at once.
                    let answer = await FaultClient.deliver(FaultClient.token(id, padding: 15_000), to: daemon.deliveryURL, http: http)
                    sent.append((id, answer))
                    return answer
                }
                #expect(await send("before") == .acknowledged)
                #expect(await FaultClient.health(daemon, http: http) == 200)

                let filler = mountPoint + "/filler"
                let filled = try Tmpfs.fill(filler)
                #expect(filled > 0)
                // Until the store says so: pages SQLite had already allocated may take a delivery or two first,
                // which is right as long as what is acknowledged is really stored (checked below).
                var firstRefusal: DeliveryAnswer?
                for index in 0..<20 {
                    let answer = await send("full_\(index)")
                    if !answer.isAcknowledged {
                        firstRefusal = answer
                        break
                    }
                }
                let refusal = try #require(firstRefusal, "20 deliveries of 20 KB were acknowledged on a full 4 MiB tmpfs")
                // ENOSPC is SQLITE_FULL on a page write; growing the -shm index would be SQLITE_IOERR instead.
                let fullDisk: Set<DeliveryAnswer> = [.refused(status: 503, code: "store_full"), .refused(status: 503, code: "store_io")]
                #expect(fullDisk.contains(refusal), "got \(refusal)")
                let again = await send("still_full")
                #expect(fullDisk.contains(again), "got \(again)")
                #expect(await FaultClient.health(daemon, http: http) == 503)
                #expect(daemon.isRunning, "the daemon fell over on a full disk:\n\(daemon.log)")

                try FileManager.default.removeItem(atPath: filler)
                #expect(await send("after") == .acknowledged, "not recovered after the space was freed:\n\(daemon.log)")
                #expect(await FaultClient.health(daemon, http: http) == 200)

                daemon.signal(SIGTERM)
                #expect(try await daemon.waitForExit()?.status == 0)
                #expect(try FaultDatabase.integrityCheck(database) == "ok")
                let stored = try FaultDatabase.eventsPerRequestID(database)
                for (id, answer) in sent {
                    #expect(stored[id + "_0"] == (answer.isAcknowledged ? 1 : nil), "\(id): \(answer), stored \(stored[id + "_0"] ?? 0)")
                }
                print("disk-full test: \(filled) bytes of filler; answers: \(sent.map { "\($0.id)=\($0.answer)" }.joined(separator: " "))")
            }
        }
    }

    /// Another process holds the write lock: several concurrent deliveries each wait about BusyTimeout=1s and get
    /// 503 `store_busy`; the health check says 503; the control socket keeps answering; then all is well again.
    @Test func aLockedDatabaseAnswersEveryWaitingDelivery503AfterABoundedWait() async throws {
        let directory = try TemporaryDirectory()
        try await withFaultClient(connections: 16) { http in
            let daemon = try await SpawnedDaemon.start(directory: directory.path, busyTimeout: "1s")
            defer { daemon.forceStop() }
            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true
            let blocker = try DatabaseQueue(path: directory.file("db.sqlite3"), configuration: configuration)
            try await blocker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }

            let started = ContinuousClock.now
            let answers = await withTaskGroup(of: DeliveryAnswer.self) { group in
                for index in 0..<12 {
                    group.addTask { await FaultClient.deliver(FaultClient.token("locked_\(index)"), to: daemon.deliveryURL, http: http) }
                }
                return await group.reduce(into: [DeliveryAnswer]()) { $0.append($1) }
            }
            let waited = ContinuousClock.now - started
            #expect(answers.allSatisfy { $0 == .refused(status: 503, code: "store_busy") }, "\(answers)")
            // Waited for the lock (at least BusyTimeout), and not forever: bounded, generous for a loaded machine.
            #expect(waited >= .milliseconds(900))
            #expect(waited < .seconds(30))
            #expect(await FaultClient.health(daemon, http: http) == 503)
            let status = try await CommandRunner.authyctl(["status"], socket: directory.file("control.sock"))
            #expect(status.status == 0, "authyctl status while locked: \(status.stderr)")

            try await blocker.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
            try blocker.close()
            #expect(await FaultClient.deliver(FaultClient.token("unlocked"), to: daemon.deliveryURL, http: http) == .acknowledged)
            #expect(await FaultClient.health(daemon, http: http) == 200)
            daemon.signal(SIGTERM)
            #expect(try await daemon.waitForExit()?.status == 0)
            #expect(try FaultDatabase.eventsPerRequestID(directory.file("db.sqlite3")).keys.sorted() == ["unlocked_0"])
        }
    }

    /// 600 deliveries over 300 concurrent connections against MaxPendingWrites=4 while the write path is stuck
    /// (another process holds the lock, BusyTimeout=60s): all but the few in the write path get a fast 503
    /// `overloaded` (answered while the store is still stuck), memory stays bounded, the daemon stays up, and once
    /// the lock goes the waiting ones are stored and service is normal.
    @Test func overloadGetsFast503sInBoundedMemoryAndServesNormallyAfter() async throws {
        FaultClient.raiseOpenFileLimit()
        let directory = try TemporaryDirectory()
        let database = directory.file("db.sqlite3")
        // Twice as many deliveries as connections, ~6 KB each: whatever a refusal kept would add up.
        let total = 600, connections = 300, capacity = 4
        try await withFaultClient(connections: connections) { http in
            let daemon = try await SpawnedDaemon.start(directory: directory.path, busyTimeout: "60s", extraConfiguration: """
                [Receiver]
                MaxPendingWrites=\(capacity)
                """)
            defer { daemon.forceStop() }
            #expect(await FaultClient.deliver(FaultClient.token("warm_up"), to: daemon.deliveryURL, http: http) == .acknowledged)
            let baselineKiB = daemon.peakRSSKiB ?? 0

            var configuration = Configuration()
            configuration.allowsUnsafeTransactions = true
            let blocker = try DatabaseQueue(path: database, configuration: configuration)
            try await blocker.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
            var released = false
            defer { if !released { try? blocker.close() } }

            let answers = SharedValue<[(id: String, answer: DeliveryAnswer)]>([])
            async let allAnswered: Void = withTaskGroup(of: Void.self) { group in
                for index in 0..<total {
                    group.addTask {
                        let id = "overload_\(index)"
                        let answer = await FaultClient.deliver(FaultClient.token(id, padding: 4_000), to: daemon.deliveryURL, http: http)
                        answers.withLock { $0.append((id, answer)) }
                    }
                }
            }
            // At most `capacity` wait in the queue plus one batch (itself at most `capacity`) stuck in the store:
            // everything else must be answered while the lock is still held.
            let inWritePath = 2 * capacity
            let deadline = ContinuousClock.now + .seconds(60)
            while answers.withLock({ $0.count }) < total - inWritePath, ContinuousClock.now < deadline, daemon.isRunning {
                try await Task.sleep(for: .milliseconds(20))
            }
            let whileLocked = answers.withLock { $0 }
            #expect(whileLocked.count >= total - inWritePath, "only \(whileLocked.count) answered while the store was stuck")
            #expect(whileLocked.allSatisfy { $0.answer == .refused(status: 503, code: "overloaded") }, "\(whileLocked.map(\.answer).filter { $0 != .refused(status: 503, code: "overloaded") })")
            let peakKiB = daemon.peakRSSKiB ?? 0
            #expect(daemon.isRunning)

            try await blocker.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
            try blocker.close()
            released = true
            await allAnswered
            let final = answers.withLock { $0 }
            let acknowledged = final.filter { $0.answer.isAcknowledged }
            #expect(final.count == total)
            #expect(acknowledged.count >= 1 && acknowledged.count <= inWritePath, "\(acknowledged.count) acknowledged")
            #expect(final.filter { $0.answer == .refused(status: 503, code: "overloaded") }.count == total - acknowledged.count)

            // Normal service afterwards.
            #expect(await FaultClient.deliver(FaultClient.token("after"), to: daemon.deliveryURL, http: http) == .acknowledged)
            #expect(await FaultClient.health(daemon, http: http) == 200)
            // Generous bounds (a debug build idles around 50 MiB and grew by 5 to 11 MiB here): bodies in flight are
            // bounded by MaxConnections × MaxBodySize, and a refusal must keep nothing.
            #expect(peakKiB - baselineKiB < 64 * 1024, "peak RSS grew from \(baselineKiB) to \(peakKiB) KiB under overload")
            #expect(peakKiB < 256 * 1024, "peak RSS \(peakKiB) KiB under overload")
            let lifePeakKiB = daemon.peakRSSKiB ?? 0
            #expect(lifePeakKiB < 256 * 1024, "peak RSS over the daemon's life: \(lifePeakKiB) KiB")
            daemon.signal(SIGTERM)
            let exit = try await daemon.waitForExit()
            #expect(exit?.status == 0)

            let stored = try FaultDatabase.eventsPerRequestID(database)
            #expect(Set(stored.keys) == Set((acknowledged.map(\.id) + ["warm_up", "after"]).map { $0 + "_0" }))
            print("overload test: \(total - acknowledged.count) fast 503s, \(acknowledged.count) stored; peak RSS \(baselineKiB) KiB before, \(peakKiB) KiB under overload, \(lifePeakKiB) KiB over the daemon's life")
        }
    }

    /// 500 connections trickling a request head that never ends do not keep a legitimate delivery out, with the
    /// default limits (MaxConnections=512, ReadTimeout=10s, IdleTimeout=60s), and are dropped once ReadTimeout has
    /// passed, though they never go quiet (so IdleTimeout alone would keep them for a minute).
    @Test func fiveHundredSlowlorisConnectionsDoNotStopALegitimateDeliveryAndAreDroppedAfterReadTimeout() async throws {
        FaultClient.raiseOpenFileLimit()
        let directory = try TemporaryDirectory()
        try await withFaultClient { http in
            let daemon = try await SpawnedDaemon.start(directory: directory.path)
            defer { daemon.forceStop() }
            let attackers = 500
            let attackStarted = ContinuousClock.now
            let slow = try await SlowlorisClients.open(count: attackers, to: daemon.receiver)
            defer { slow.stop() }
            // The daemon has accepted every attacker (they are ahead of the legitimate client in the accept queue).
            let deadline = ContinuousClock.now + .seconds(30)
            while daemon.openSockets < attackers, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(daemon.openSockets >= attackers)

            let started = ContinuousClock.now
            #expect(await FaultClient.deliver(FaultClient.token("legitimate"), to: daemon.deliveryURL, http: http) == .acknowledged)
            #expect(await FaultClient.health(daemon, http: http) == 200)
            let served = ContinuousClock.now - started
            // It got in beside the attackers, not by waiting for them to be thrown out.
            #expect(slow.openCount == attackers, "the daemon dropped slow connections before serving the delivery")

            // ReadTimeout (10 s) drops them all, well before IdleTimeout (60 s) could have.
            while slow.openCount > 0, ContinuousClock.now < attackStarted + .seconds(45) {
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(slow.openCount == 0, "slow connections still open after 45 s")
            let dropped = ContinuousClock.now - attackStarted
            #expect(await FaultClient.deliver(FaultClient.token("afterwards"), to: daemon.deliveryURL, http: http) == .acknowledged)
            print("slowloris test: legitimate delivery and health check served in \(served) beside \(attackers) slow connections; all dropped \(dropped) after the attack began")
            daemon.signal(SIGTERM)
            #expect(try await daemon.waitForExit()?.status == 0)
            #expect(try FaultDatabase.eventsPerRequestID(directory.file("db.sqlite3")).keys.sorted() == ["afterwards_0", "legitimate_0"])
        }
    }

    /// The first-head deadline in isolation (in-process daemon): a trickling head is dropped after ReadTimeout=1s,
    /// while a kept-alive connection that stays idle longer than ReadTimeout between requests is still served
    /// (IdleTimeout governs it).
    @Test func readTimeoutDropsATricklingHeadButNotAnIdleKeptAliveConnection() async throws {
        try await withDaemon("""
            [Receiver]
            ReadTimeout=1s
            IdleTimeout=60s
            """) { daemon in
            let address = daemon.endpoints.receivers[0]
            let slow = try await SlowlorisClients.open(count: 5, to: address)
            defer { slow.stop() }
            let statuses = try await KeepAliveProbe.healthStatuses(address: address, requests: 2, pause: .seconds(3))
            #expect(statuses == [200, 200], "a kept-alive connection idle past ReadTimeout was cut")
            // IdleTimeout (60 s) cannot have closed them within this bound; only ReadTimeout can.
            let deadline = ContinuousClock.now + .seconds(30)
            while slow.openCount > 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(slow.openCount == 0, "a trickling request head outlived ReadTimeout=1s")
        }
    }
}

/// A size-limited tmpfs for the disk-full test.
enum Tmpfs {
    /// Mounts a tmpfs of `size` at `path` for the duration of `body`, and always unmounts it (lazily, so a daemon
    /// that still has files open does not keep it mounted).
    static func withMount<T: Sendable>(at path: String, size: String, _ body: () async throws -> T) async throws -> T {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mounted = try await CommandRunner.run(["mount", "-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", path])
        guard mounted.status == 0 else {
            throw SpawnedDaemon.Failure(description: "mount -t tmpfs failed: \(mounted.stderr)")
        }
        do {
            let result = try await body()
            _ = try await CommandRunner.run(["umount", "-l", path])
            return result
        } catch {
            _ = try? await CommandRunner.run(["umount", "-l", path])
            throw error
        }
    }

    /// Writes `path` until the file system refuses (ENOSPC), in ever smaller pieces so not a byte is left.
    static func fill(_ path: String) throws -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var written = 0
        var chunk = 1 << 16
        let bytes = [UInt8](repeating: 0x5a, count: chunk)
        while chunk > 0 {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress, chunk) }
            if count > 0 {
                written += count
            } else if count < 0, errno == EINTR {
                continue
            } else if count < 0, errno != ENOSPC {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            } else {
                chunk /= 2
            }
        }
        return written
    }
}

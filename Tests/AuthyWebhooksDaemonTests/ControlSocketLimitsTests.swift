import Foundation
import Testing

/// The control socket's limits: a head that never ends is cut after ReadTimeout=, MaxConnections= caps what is
/// served at once without refusing anyone for good, and oversized heads and bodies get clear answers.
@Suite("control socket limits")
struct ControlSocketLimitsTests {
    @Test func slowClientsAreCutAndTheSlotsTheyHeldServeOthers() async throws {
        try await withDaemon("[Control]\nReadTimeout=1s\nMaxConnections=2\n") { daemon in
            let socket = daemon.endpoints.controlSocket
            // Two clients take both slots and trickle a head that never ends.
            let slow = try (0..<2).map { _ in try RawHTTP.connect(unixSocket: socket) }
            defer { slow.forEach { close($0) } }
            for fd in slow { _ = "GET /v1/status HTTP/1.1\r\nHost: x\r\n".withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) } }

            // A real client waits for a slot instead of failing, and is served once the slow ones are cut.
            let started = ContinuousClock.now
            let status = try await CommandRunner.authyctl(["status", "--output", "json"], socket: socket)
            #expect(status.status == 0, "\(status.stderr)")
            // A lower bound only (a loaded machine makes it slower, never faster): it had to wait for a slot.
            #expect(ContinuousClock.now - started >= .milliseconds(800), "MaxConnections=2 was not enforced")
            for fd in slow {
                #expect(await RawHTTP.waitForClose(fd, timeout: .seconds(15)), "a head unfinished after ReadTimeout=1s is cut")
            }
        }
    }

    /// A kept-alive connection may stay idle for IdleTimeout=, but once the next head starts it must be complete
    /// within ReadTimeout=, like the first: otherwise each slowloris connection would hold its slot for a minute.
    @Test func aKeptAliveConnectionMustFinishTheHeadItStarts() async throws {
        try await withDaemon("[Control]\nReadTimeout=1s\nIdleTimeout=60s\n") { daemon in
            let fd = try RawHTTP.connect(unixSocket: daemon.endpoints.controlSocket)
            defer { close(fd) }
            let request = "GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n"
            let statuses = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[Int], any Error>) in
                // Blocking reads, on a dispatch thread: the daemon under test runs on this process's cooperative pool.
                DispatchQueue.global().async {
                    var statuses: [Int] = []
                    for index in 0..<2 {
                        if index > 0 { usleep(1_500_000) }  // idle for longer than ReadTimeout=
                        _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                        statuses.append(RawHTTP.readAnswer(fd).status)
                    }
                    continuation.resume(returning: statuses)
                }
            }
            #expect(statuses == [200, 200], "an idle kept-alive connection outlives ReadTimeout=")
            let started = ContinuousClock.now
            _ = "GET /v1/status HTTP/1.1\r\nHo".withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            #expect(await RawHTTP.waitForClose(fd, timeout: .seconds(20)), "a started head is cut after ReadTimeout=1s, not IdleTimeout=60s")
            #expect(ContinuousClock.now - started >= .milliseconds(900), "not before ReadTimeout=")
        }
    }

    @Test func oversizedHeadsAndBodiesAreRefused() async throws {
        try await withDaemon("[Control]\nMaxHeaderSize=2K\nMaxBodySize=1K\n") { daemon in
            let socket = daemon.endpoints.controlSocket
            let bigHead = "GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Pad: \(String(repeating: "x", count: 4096))\r\nConnection: close\r\n\r\n"
            let head = try await RawHTTP.exchange(unixSocket: socket, parts: [Array(bigHead.utf8)])
            #expect(head.status == 431)
            #expect(head.body.contains("header_too_large") && head.body.contains("MaxHeaderSize=2048"), "\(head.body)")

            let body = "{\"before\":\"" + String(repeating: "9", count: 2048) + "\",\"dry_run\":true}"
            let post = "POST /v1/events/prune HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
            let big = try await RawHTTP.exchange(unixSocket: socket, parts: [Array(post.utf8)])
            #expect(big.status == 413, "\(big.body)")
            #expect(big.body.contains("payload_too_large") && big.body.contains("MaxBodySize=1024"), "\(big.body)")

            let fine = try await RawHTTP.exchange(unixSocket: socket, parts: [Array("GET /v1/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)])
            #expect(fine.status == 200)
        }
    }
}

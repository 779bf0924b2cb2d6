import Foundation
import Testing

/// MaxConnections= with kept-alive clients: at the limit, the longest-idle connection makes room for a new one, so
/// idle clients cannot keep a delivery out for IdleTimeout=; a connection with a request in flight is never closed.
@Suite("connection slots")
struct ConnectionSlotsTests {
    @Test func theLongestIdleConnectionMakesRoomForANewOne() async throws {
        try await withDaemon("[Receiver]\nMaxConnections=3\nIdleTimeout=600s\n") { daemon in
            let address = daemon.endpoints.receivers[0]
            // Two clients, answered and then idle, oldest first.
            var idle: [Int32] = []
            for _ in 0..<2 {
                let fd = try RawHTTP.connect(address: address)
                idle.append(fd)
                #expect(await KeptAlive.request(fd, healthCheck).status == 200)
            }
            defer { idle.forEach { close($0) } }

            // A third takes the last slot and is served now, not once IdleTimeout=600s has closed an idle one (the
            // client gives up at 60 s: generous for a loaded CI box, far from 600 s); the longest-idle one is
            // closed to keep a slot free for the next newcomer.
            let newcomer = try RawHTTP.connect(address: address)
            defer { close(newcomer) }
            #expect(await KeptAlive.request(newcomer, healthCheck).status == 200, "a new connection waited behind idle ones")
            #expect(await RawHTTP.waitForClose(idle[0], timeout: .seconds(60)), "the longest-idle connection is the one closed")
            // The other was kept, and still serves.
            #expect(await KeptAlive.request(idle[1], healthCheck).status == 200)
        }
    }

    @Test func aConnectionWithARequestInFlightIsNeverClosedForRoom() async throws {
        try await withDaemon("[Receiver]\nMaxConnections=2\nIdleTimeout=600s\nReadTimeout=300s\n") { daemon in
            let address = daemon.endpoints.receivers[0]
            let idle = try RawHTTP.connect(address: address)
            defer { close(idle) }
            #expect(await KeptAlive.request(idle, healthCheck).status == 200)
            // Half a body: this connection is busy until its answer. It takes the last slot, so the idle one goes.
            let busy = try RawHTTP.connect(address: address)
            defer { close(busy) }
            let body = #"{"jwt":"not-a-token"}"#
            let head = "POST /authy/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            KeptAlive.send(busy, head + body.prefix(5))
            #expect(await RawHTTP.waitForClose(idle, timeout: .seconds(60)))

            // A third client gets in beside the busy one. Answered while every slot is taken, it is told that the
            // connection ends (Connection: close), so a waiting client can have the slot.
            let third = try RawHTTP.connect(address: address)
            defer { close(third) }
            let answer = await KeptAlive.request(third, healthCheck)
            #expect(answer.status == 200)
            #expect(answer.head.lowercased().contains("connection: close"), "\(answer.head)")
            #expect(await RawHTTP.waitForClose(third, timeout: .seconds(60)))

            // The busy connection still gets its answer (a refusal of the fake token, but an answer, not a close),
            // and, with a slot free again, is kept alive.
            let refusal = await KeptAlive.request(busy, String(body.dropFirst(5)))
            #expect(refusal.status == 401 || refusal.status == 400, "the request in flight was cut: status \(refusal.status)")
            #expect(!refusal.head.lowercased().contains("connection: close"), "\(refusal.head)")
        }
    }

    @Test func idleControlConnectionsDoNotKeepAuthyctlOut() async throws {
        try await withDaemon("[Control]\nMaxConnections=2\nIdleTimeout=600s\n") { daemon in
            let socket = daemon.endpoints.controlSocket
            var idle: [Int32] = []
            for _ in 0..<2 {
                let fd = try RawHTTP.connect(unixSocket: socket)
                idle.append(fd)
                #expect(await KeptAlive.request(fd, "GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n").status == 200)
            }
            defer { idle.forEach { close($0) } }
            let started = ContinuousClock.now
            let status = try await CommandRunner.authyctl(["status", "--output", "json"], socket: socket)
            #expect(status.status == 0, "\(status.stderr)")
            // Generous for a loaded CI box, far below IdleTimeout=600s.
            #expect(ContinuousClock.now - started < .seconds(120), "authyctl waited for an idle connection to time out")
        }
    }
}

private let healthCheck = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"

/// One request at a time on a connection the test keeps open; blocking, so on a dispatch thread (the daemon under
/// test runs on this process's cooperative pool).
enum KeptAlive {
    /// Sends `request` on `fd` and returns the answer: status 0 if the server closed, or said nothing in 60 s.
    static func request(_ fd: Int32, _ request: String) async -> RawHTTP.Answer {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var time = timeval(tv_sec: 60, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
                send(fd, request)
                continuation.resume(returning: RawHTTP.readAnswer(fd))
            }
        }
    }

    static func send(_ fd: Int32, _ text: String) {
        _ = text.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }
}

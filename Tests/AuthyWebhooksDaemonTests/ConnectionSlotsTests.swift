import Foundation
import Testing

/// MaxConnections= with kept-alive clients: at the limit, the longest-idle connection makes room for a new one, so
/// idle clients cannot keep a delivery out for IdleTimeout=; a connection with a request in flight is never closed.
@Suite("connection slots")
struct ConnectionSlotsTests {
    @Test func idleKeptAliveConnectionsMakeRoomForANewOne() async throws {
        try await withDaemon("[Receiver]\nMaxConnections=3\nIdleTimeout=60s\n") { daemon in
            let address = daemon.endpoints.receivers[0]
            // Three clients fill the slots, each answered and then idle, oldest first.
            var idle: [Int32] = []
            for _ in 0..<3 {
                let fd = try RawHTTP.connect(address: address)
                idle.append(fd)
                #expect(await KeptAlive.request(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") == 200)
            }
            defer { idle.forEach { close($0) } }

            // A fourth is served now, not once IdleTimeout=60s has closed an idle one (the client gives up at 20 s).
            let newcomer = try RawHTTP.connect(address: address)
            defer { close(newcomer) }
            #expect(await KeptAlive.request(newcomer, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") == 200,
                    "a new connection waited behind idle kept-alive ones")
            // The room came from the longest-idle one.
            #expect(await RawHTTP.waitForClose(idle[0], timeout: .seconds(10)), "the longest-idle connection is the one closed")
            // The others were kept and still serve.
            #expect(await KeptAlive.request(idle[2], "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") == 200)
        }
    }

    @Test func aConnectionWithARequestInFlightIsNeverClosedForRoom() async throws {
        try await withDaemon("[Receiver]\nMaxConnections=2\nIdleTimeout=60s\nReadTimeout=30s\n") { daemon in
            let address = daemon.endpoints.receivers[0]
            let idle = try RawHTTP.connect(address: address)
            defer { close(idle) }
            #expect(await KeptAlive.request(idle, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") == 200)
            // Half a body: this connection is busy until its answer.
            let busy = try RawHTTP.connect(address: address)
            defer { close(busy) }
            let body = #"{"jwt":"not-a-token"}"#
            let head = "POST /authy/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            KeptAlive.send(busy, head + body.prefix(5))

            // A third client is served: the idle connection made room, the busy one did not.
            let third = try RawHTTP.connect(address: address)
            defer { close(third) }
            #expect(await KeptAlive.request(third, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n") == 200)
            #expect(await RawHTTP.waitForClose(idle, timeout: .seconds(10)))
            // The busy connection still gets its answer (a refusal of the fake token, but an answer, not a close).
            let status = await KeptAlive.request(busy, String(body.dropFirst(5)))
            #expect(status == 401 || status == 400, "the request in flight was cut: status \(status)")
        }
    }

    @Test func idleControlConnectionsDoNotKeepAuthyctlOut() async throws {
        try await withDaemon("[Control]\nMaxConnections=2\nIdleTimeout=60s\n") { daemon in
            let socket = daemon.endpoints.controlSocket
            var idle: [Int32] = []
            for _ in 0..<2 {
                let fd = try RawHTTP.connect(unixSocket: socket)
                idle.append(fd)
                #expect(await KeptAlive.request(fd, "GET /v1/status HTTP/1.1\r\nHost: x\r\n\r\n") == 200)
            }
            defer { idle.forEach { close($0) } }
            let started = ContinuousClock.now
            let status = try await CommandRunner.authyctl(["status", "--output", "json"], socket: socket)
            #expect(status.status == 0, "\(status.stderr)")
            #expect(ContinuousClock.now - started < .seconds(30), "authyctl waited for an idle connection to time out")
        }
    }
}

/// One request at a time on a connection the test keeps open; blocking, so on a dispatch thread (the daemon under
/// test runs on this process's cooperative pool).
enum KeptAlive {
    /// Sends `request` on `fd` and returns the answer's status: 0 if the server closed, or said nothing in 20 s.
    static func request(_ fd: Int32, _ request: String) async -> Int {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var time = timeval(tv_sec: 20, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
                send(fd, request)
                continuation.resume(returning: RawHTTP.readAnswer(fd).status)
            }
        }
    }

    static func send(_ fd: Int32, _ text: String) {
        _ = text.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
    }
}

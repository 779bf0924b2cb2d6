import Foundation
import Synchronization

/// A slowloris attacker: many TCP connections that each send the start of a request head and then one more byte
/// of a never-ending header now and then, so the head never completes and the connection never goes quiet.
/// Plain blocking sockets, driven from one dedicated thread (never a cooperative one).
final class SlowlorisClients: Sendable {
    private let sockets: [Int32]
    private let stopped = Atomic<Bool>(false)

    private init(sockets: [Int32]) {
        self.sockets = sockets
    }

    /// The trickling thread holds a reference until it has seen ``stop()``, so the sockets are closed only once
    /// nothing writes to them any more (and on that thread, not on a cooperative one).
    deinit {
        for socket in sockets { close(socket) }
    }

    /// Opens `count` connections to `HOST:PORT` (IPv4) and starts trickling.
    static func open(count: Int, to address: String) async throws -> SlowlorisClients {
        let sockets = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[Int32], any Error>) in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try connectAll(count: count, address: address) })
            }
        }
        let clients = SlowlorisClients(sockets: sockets)
        let thread = Thread { [clients] in clients.trickle() }
        thread.start()
        return clients
    }

    private static func connectAll(count: Int, address: String) throws -> [Int32] {
        var sockets: [Int32] = []
        do {
            for _ in 0..<count {
                let fd = try RawHTTP.connect(address: address)
                sockets.append(fd)
                let start = "POST /authy/webhook HTTP/1.1\r\nHost: \(address)\r\nX-Slow: "
                _ = start.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            }
        } catch {
            for fd in sockets { close(fd) }
            throw error
        }
        return sockets
    }

    /// One byte of the endless header value on every connection, every 200 ms.
    private func trickle() {
        var byte: UInt8 = UInt8(ascii: "a")
        while !stopped.load(ordering: .relaxed) {
            for socket in sockets where !stopped.load(ordering: .relaxed) {
                _ = send(socket, &byte, 1, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            usleep(200_000)
        }
    }

    /// Connections the server has not closed yet (a peek that would block means open and quiet).
    var openCount: Int {
        var byte: UInt8 = 0
        return sockets.filter { socket in
            let peeked = recv(socket, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
            return peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
        }.count
    }

    /// Stops trickling; the connections are closed once this object goes away. Must be called (the thread
    /// trickles until then).
    func stop() {
        stopped.store(true, ordering: .relaxed)
    }
}

/// `GET /healthz` several times on one kept-alive connection, with a pause before each later request: shows that
/// the first-head deadline (`ReadTimeout=`) does not cut an idle keep-alive connection short.
enum KeepAliveProbe {
    /// The status of each answer; 0 where the server had closed the connection instead.
    static func healthStatuses(address: String, requests: Int, pause: Duration) async throws -> [Int] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let fd = try RawHTTP.connect(address: address)
                    defer { close(fd) }
                    var time = timeval(tv_sec: 30, tv_usec: 0)
                    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
                    var statuses: [Int] = []
                    for index in 0..<requests {
                        if index > 0 { usleep(UInt32(pause.components.seconds * 1_000_000 + pause.components.attoseconds / 1_000_000_000_000)) }
                        let request = "GET /healthz HTTP/1.1\r\nHost: \(address)\r\n\r\n"
                        _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                        statuses.append(RawHTTP.readAnswer(fd).status)
                    }
                    return statuses
                })
            }
        }
    }
}

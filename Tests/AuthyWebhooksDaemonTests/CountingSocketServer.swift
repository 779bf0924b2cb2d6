import Foundation
import Synchronization

/// A Unix stream socket that answers every request with one canned HTTP answer and counts the connections it
/// accepted: a test of what a client does to the socket, with nothing of the daemon behind it.
final class CountingSocketServer: Sendable {
    let path: String
    private let listener: Int32
    private let accepted = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    /// Binds `path` and serves `answer` (a whole HTTP/1.1 response) to each request, on a thread of its own.
    init(path: String, answer: String) throws {
        self.path = path
        let fd = try Self.bound(path)
        guard listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        listener = fd
        let thread = Thread { [self] in serve(Array(answer.utf8)) }
        thread.start()
    }

    /// Leaves a socket file at `path` that refuses every connection.
    static func leaveStaleSocket(at path: String) throws {
        close(try bound(path))
    }

    private static func bound(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        return fd
    }

    /// Connections accepted so far.
    var connections: Int { accepted.load(ordering: .sequentiallyConsistent) }

    /// Stops serving and removes the socket file.
    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        done.wait()
        close(listener)
        unlink(path)
    }

    private func serve(_ answer: [UInt8]) {
        defer { done.signal() }
        while !stopped.load(ordering: .sequentiallyConsistent) {
            var ready = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 50) == 1 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            accepted.add(1, ordering: .sequentiallyConsistent)
            // Reads the request head (the requests this serves have no body), answers, closes.
            var request: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4_096)
            while !request.ends(with: Array("\r\n\r\n".utf8)) {
                let count = read(client, &chunk, chunk.count)
                guard count > 0 else { break }
                request += chunk.prefix(count)
            }
            _ = answer.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            close(client)
        }
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}

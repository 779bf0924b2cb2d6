import Foundation

/// A deliberately dumb HTTP/1.1 client over a TCP or Unix socket: it sends exactly the bytes it is given (two
/// Content-Length headers, lying lengths, broken chunks — what no real client library would send) and reads the
/// answer until the server closes or `timeout` passes. Blocking, so it runs on a dispatch thread.
enum RawHTTP {
    struct Answer {
        /// The status code, or 0 when the server closed without answering.
        var status: Int
        var head: String
        var body: String
    }

    /// Sends `parts` one after another (with `pause` between them: a chunked body trickling in) on one connection.
    static func exchange(host: String = "127.0.0.1", port: Int, parts: [[UInt8]], pause: Duration = .zero, timeout: Duration = .seconds(60)) async throws -> Answer {
        try await exchange(connect: { try connect(address: "\(host):\(port)") }, parts: parts, pause: pause, timeout: timeout)
    }

    /// The same over a Unix stream socket (the control socket).
    static func exchange(unixSocket path: String, parts: [[UInt8]], timeout: Duration = .seconds(60)) async throws -> Answer {
        try await exchange(connect: { try connect(unixSocket: path) }, parts: parts, pause: .zero, timeout: timeout)
    }

    private static func exchange(connect: @escaping @Sendable () throws -> Int32, parts: [[UInt8]], pause: Duration, timeout: Duration) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let fd = try connect()
                    defer { close(fd) }
                    var time = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
                    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
                    send(fd, parts: parts, pause: pause)
                    return readAnswer(fd)
                })
            }
        }
    }

    private static func send(_ fd: Int32, parts: [[UInt8]], pause: Duration) {
        for (index, part) in parts.enumerated() {
            if index > 0, pause > .zero { Thread.sleep(forTimeInterval: Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18) }
            var offset = 0
            while offset < part.count {
                let sent = part.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, part.count - offset, Int32(MSG_NOSIGNAL)) }
                if sent <= 0 { return }  // the server may close early (e.g. after a 413); read what it said
                offset += sent
            }
        }
    }

    /// Reads one answer on `fd` (its head, then Content-Length bytes of body), blocking up to the socket's receive
    /// timeout; status 0 when the server closes without a complete head. One request at a time per connection.
    static func readAnswer(_ fd: Int32) -> Answer {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
            if let answer = complete(received) { return answer }
        }
        return parse(received) ?? Answer(status: 0, head: "", body: "")
    }

    /// A full answer once its head and Content-Length bytes of body are in.
    private static func complete(_ bytes: [UInt8]) -> Answer? {
        guard let answer = parse(bytes) else { return nil }
        let length = answer.head.split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        return answer.body.utf8.count >= length ? answer : nil
    }

    private static func parse(_ bytes: [UInt8]) -> Answer? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let head = String(text[..<end.lowerBound])
        let statusLine = head.split(separator: "\r\n").first ?? ""
        let fields = statusLine.split(separator: " ")
        guard fields.count >= 2, let status = Int(fields[1]) else { return nil }
        return Answer(status: status, head: head, body: String(text[end.upperBound...]))
    }

    /// A connected Unix stream socket (the caller closes it).
    static func connect(unixSocket path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ECONNREFUSED)
        }
        return fd
    }

    /// Whether the server closes `fd` within `timeout` (recv returns 0 or fails other than by timing out).
    static func waitForClose(_ fd: Int32, timeout: Duration) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var time = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
                // Whatever the server says first (an error answer, say), then the end of the stream.
                var buffer = [UInt8](repeating: 0, count: 4096)
                var count = recv(fd, &buffer, buffer.count, 0)
                while count > 0 { count = recv(fd, &buffer, buffer.count, 0) }
                continuation.resume(returning: count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            }
        }
    }

    /// A connected TCP socket to `HOST:PORT` (IPv4; the caller closes it).
    static func connect(address: String) throws -> Int32 {
        let parts = address.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]) else { throw SpawnedDaemon.Failure(description: "bad address \(address)") }
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        inet_pton(AF_INET, String(parts[0]), &socketAddress.sin_addr)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let connected = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            close(fd)
            throw error
        }
        return fd
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The `AF_UNIX` address named by `NOTIFY_SOCKET`: an absolute path, or `@name` for the abstract namespace.
struct NotifySocketAddress: Sendable, Equatable {
    /// The bytes of `sun_path` (a leading NUL for the abstract namespace, no trailing NUL).
    let pathBytes: [UInt8]

    /// Nil for anything systemd would not hand us over `AF_UNIX` (empty, relative, `vsock:` of newer
    /// systemd versions, too long for `sun_path`), which disables notifications instead of failing.
    init?(notifySocket: String) {
        var bytes = Array(notifySocket.utf8)
        switch bytes.first {
        case UInt8(ascii: "/"): break
        case UInt8(ascii: "@"): bytes[0] = 0
        default: return nil
        }
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        // A path needs room for its terminating NUL; an abstract name does not have one.
        guard bytes.count < capacity || (bytes[0] == 0 && bytes.count <= capacity), bytes.count > 1 else {
            return nil
        }
        self.pathBytes = bytes
    }

    /// Sends `payload` as one datagram from a fresh socket, like `sd_notify` does: no shared state, so any
    /// thread may call it at any time. Failures are swallowed (see ``SystemdNotifier/send(_:)``).
    func sendDatagram(_ payload: [UInt8]) {
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { sunPath in
            sunPath.copyBytes(from: pathBytes)
        }
        // The abstract namespace counts the exact name length; a path counts up to and including its NUL.
        let pathLength = pathBytes[0] == 0 ? pathBytes.count : pathBytes.count + 1
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathLength)
        _ = payload.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), socketAddress, length)
                }
            }
        }
    }
}

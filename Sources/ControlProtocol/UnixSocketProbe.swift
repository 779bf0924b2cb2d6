import Foundation

/// Tries to connect to a Unix stream socket: authyctl uses it to tell "not running" from "permission denied" before
/// speaking HTTP, and the daemon to refuse taking over a socket another instance is serving.
public enum UnixSocketProbe {
    /// 0 when something accepts connections at `path`, else the `errno` of the failure (`ENAMETOOLONG` for a path
    /// that does not fit a `sockaddr_un`).
    public static func connectError(path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return ENAMETOOLONG }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return result == 0 ? 0 : errno
    }
}

import ControlProtocol
import Foundation

/// The control socket's file: its folder, a check that no other daemon owns it, then its mode and group.
enum ControlSocketFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Creates the socket's folder if needed and refuses to take over a socket another daemon is answering on
    /// (Hummingbird removes a stale file before binding, which would silently steal a live one).
    static func prepare(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            } catch {
                throw Failure(description: "cannot create the control socket's folder \(directory): \(error.localizedDescription)")
            }
        }
        if path.utf8.count >= 108 {
            throw Failure(description: "the control socket path \(path) is too long for a Unix socket (at most 107 bytes)")
        }
        if FileManager.default.fileExists(atPath: path), isAnswering(path) {
            throw Failure(description: "another process is already serving the control socket \(path); is authy-webhooksd already running?")
        }
    }

    static func isAnswering(_ path: String) -> Bool {
        UnixSocketProbe.connectError(path: path) == 0
    }

    /// Applies `[Control] SocketMode=` and `SocketGroup=` once the socket exists.
    /// The mode comes first, so group members get in even if the group cannot be changed; chown is only called
    /// when the group differs (the hardened unit may filter @chown).
    static func setPermissions(path: String, mode: UInt32, group: String?) throws {
        guard chmod(path, mode_t(mode)) == 0 else {
            throw Failure(description: "cannot set mode \(String(mode, radix: 8)) on \(path): \(String(cString: strerror(errno)))")
        }
        guard let group, !group.isEmpty else { return }
        guard let entry = getgrnam(group) else {
            throw Failure(description: "SocketGroup=\(group): no such group")
        }
        var info = stat()
        if stat(path, &info) == 0, info.st_gid == entry.pointee.gr_gid { return }
        guard chown(path, uid_t.max, entry.pointee.gr_gid) == 0 else {
            throw Failure(description: "cannot give \(path) to group \(group): \(String(cString: strerror(errno)))")
        }
    }
}

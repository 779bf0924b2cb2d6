import ControlProtocol
import Foundation
import NIOCore

/// Who is at the other end of a control-socket connection, as the kernel reports it (`SO_PEERCRED`): the
/// process, user and group at the time it connected. Unlike anything a client could send, this cannot be forged.
struct PeerCredentials: Sendable, Equatable, CustomStringConvertible {
    var pid: Int32
    var uid: UInt32
    var gid: UInt32

    var description: String { "uid \(uid) (\(UserDatabase.userName(uid) ?? "?")), pid \(pid)" }

    /// Reads `SO_PEERCRED` of the connection `channel` (a Unix stream socket).
    static func of(_ channel: any Channel) async throws -> PeerCredentials {
        guard let provider = channel as? any SocketOptionProvider else {
            throw PeerCredentialsUnavailable()
        }
        // `struct ucred { pid_t pid; uid_t uid; gid_t gid; }`: Glibc's module hides it (it needs _GNU_SOURCE), so it
        // is read as three 32-bit words, a homogeneous tuple being laid out exactly like the C struct.
        let words: (UInt32, UInt32, UInt32) = try await provider.unsafeGetSocketOption(level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED)).get()
        return PeerCredentials(pid: Int32(bitPattern: words.0), uid: words.1, gid: words.2)
    }

    /// Whether the caller belongs to the group `gid`: as primary group, as a supplementary group of the calling
    /// process (its `/proc/PID/status`, which holds groups given by `setpriv`/`SupplementaryGroups=` too), or
    /// as a member listed in the user database. The packaged unit sets `ProtectProc=invisible`, which hides other
    /// users' processes, so the user database is the fallback that works there.
    func isMember(of gid: UInt32) -> Bool {
        if self.gid == gid { return true }
        if let groups = processGroups() { return groups.contains(gid) }
        return UserDatabase.userGroups(uid: uid, primary: self.gid).contains(gid)
    }

    private func processGroups() -> Set<UInt32>? {
        guard pid > 0, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Groups:") }) else { return nil }
        return Set(line.dropFirst("Groups:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { UInt32($0) })
    }
}

/// The socket could not say who is calling (not a Unix socket). Access is refused rather than guessed.
struct PeerCredentialsUnavailable: Error {}

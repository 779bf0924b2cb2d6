import Foundation
import NIOCore

/// Who is at the other end of a control-socket connection, as the kernel reports it (`SO_PEERCRED`): the
/// process, user and group at the time it connected. Unlike anything a client could send, this cannot be forged.
struct PeerCredentials: Sendable, Equatable, CustomStringConvertible {
    var pid: Int32
    var uid: UInt32
    var gid: UInt32

    var description: String { "uid \(uid) (\(Self.userName(uid) ?? "?")), pid \(pid)" }

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
        return Self.userGroups(uid: uid, primary: self.gid).contains(gid)
    }

    private func processGroups() -> Set<UInt32>? {
        guard pid > 0, let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Groups:") }) else { return nil }
        return Set(line.dropFirst("Groups:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { UInt32($0) })
    }

    // The user and group database through the reentrant `_r` calls, each with a buffer of its own: connections are
    // checked from concurrent tasks, and `getpwuid`/`getgrnam`/`getgrgid` answer in static storage that another
    // caller may overwrite while it is read, in the code that decides who may change things.

    static func userName(_ uid: UInt32) -> String? {
        lookup({ getpwuid_r(uid_t(uid), $0, $1, $2, $3) }) { entry in entry.pw_name.map { String(cString: $0) } }
    }

    static func userGroups(uid: UInt32, primary: UInt32) -> Set<UInt32> {
        guard let name = userName(uid) else { return [primary] }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, gid_t(primary), &groups, &count) == -1 {
            groups = [gid_t](repeating: 0, count: Int(count))
            guard getgrouplist(name, gid_t(primary), &groups, &count) != -1 else { return [primary] }
        }
        return Set(groups.prefix(Int(count)).map { UInt32($0) })
    }

    static func groupID(named name: String) -> UInt32? {
        lookup({ getgrnam_r(name, $0, $1, $2, $3) }) { entry in UInt32(entry.gr_gid) }
    }

    static func groupName(_ gid: UInt32) -> String {
        lookup({ getgrgid_r(gid_t(gid), $0, $1, $2, $3) }) { entry in entry.gr_name.map { String(cString: $0) } }
            ?? String(gid)
    }

    /// Runs one `get*_r` call with its own entry and string buffer, doubling the buffer while the call answers
    /// `ERANGE` (up to 1 MiB); `read` copies what it needs before the buffer is freed. Nil when there is no entry
    /// or the call fails.
    private static func lookup<Entry, Value>(
        _ call: (UnsafeMutablePointer<Entry>, UnsafeMutablePointer<CChar>, Int,
                 UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>) -> Int32,
        _ read: (Entry) -> Value?
    ) -> Value? {
        var size = 1_024
        while size <= 1 << 20 {
            // A C struct of plain fields, written by the call before it is read.
            let entry = UnsafeMutablePointer<Entry>.allocate(capacity: 1)
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
            defer {
                entry.deallocate()
                buffer.deallocate()
            }
            var result: UnsafeMutablePointer<Entry>?
            let status = call(entry, buffer, size, &result)
            if status == ERANGE {
                size *= 2
                continue
            }
            guard status == 0, let result else { return nil }
            return read(result.pointee)
        }
        return nil
    }
}

/// The socket could not say who is calling (not a Unix socket). Access is refused rather than guessed.
struct PeerCredentialsUnavailable: Error {}

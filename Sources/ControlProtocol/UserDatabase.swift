import Foundation

/// The user and group database (NSS) through the reentrant `_r` calls, each with a buffer of its own: the daemon
/// checks control connections from concurrent tasks, and `getpwuid`/`getgrnam`/`getgrgid` answer in static storage
/// that another caller may overwrite while it is read, in the code that decides who may change things. authyctl
/// uses it too, to name the group that grants access.
public enum UserDatabase {
    /// The name of user `uid`, or nil when the database has no such user.
    public static func userName(_ uid: UInt32) -> String? {
        lookup({ getpwuid_r(uid_t(uid), $0, $1, $2, $3) }) { entry in entry.pw_name.map { String(cString: $0) } }
    }

    /// Every group `uid` belongs to in the user database, its primary group `primary` included.
    public static func userGroups(uid: UInt32, primary: UInt32) -> Set<UInt32> {
        guard let name = userName(uid) else { return [primary] }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, gid_t(primary), &groups, &count) == -1 {
            groups = [gid_t](repeating: 0, count: Int(count))
            guard getgrouplist(name, gid_t(primary), &groups, &count) != -1 else { return [primary] }
        }
        return Set(groups.prefix(Int(count)).map { UInt32($0) })
    }

    /// The id of the group called `name`, or nil when there is none.
    public static func groupID(named name: String) -> UInt32? {
        lookup({ getgrnam_r(name, $0, $1, $2, $3) }) { entry in UInt32(entry.gr_gid) }
    }

    /// The name of group `gid`, or the number itself when the database has no such group.
    public static func groupName(_ gid: UInt32) -> String {
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

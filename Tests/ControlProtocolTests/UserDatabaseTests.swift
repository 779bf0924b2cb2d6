import ControlProtocol
import Foundation
import Testing

@Suite("UserDatabase: user and group look-ups")
struct UserDatabaseTests {
    @Test("look-ups from concurrent tasks each get their own answer (reentrant _r calls)")
    func concurrentLookUpsDoNotReadEachOthersAnswers() async throws {
        // root and nobody exist on every Debian machine; alternating them makes shared static storage show.
        let users: [UInt32] = [0, 65_534]
        let groups: [UInt32] = [0, 65_534]
        let expectedUsers = users.map { UserDatabase.userName($0) }
        let expectedGroups = groups.map { UserDatabase.groupName($0) }
        try #require(expectedUsers == ["root", "nobody"])
        try #require(expectedGroups[0] == "root")
        let wrong = await withTaskGroup(of: Int.self) { tasks in
            for task in 0..<8 {
                tasks.addTask {
                    var wrong = 0
                    for round in 0..<2_000 {
                        let index = (task + round) % 2
                        if UserDatabase.userName(users[index]) != expectedUsers[index] { wrong += 1 }
                        if UserDatabase.groupName(groups[index]) != expectedGroups[index] { wrong += 1 }
                        if UserDatabase.groupID(named: expectedGroups[index]) != groups[index] { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await tasks.reduce(0, +)
        }
        #expect(wrong == 0)
    }

    @Test("unknown users and groups: nil, or the number as the group's name")
    func unknownEntries() {
        #expect(UserDatabase.userName(4_000_000_000) == nil)
        #expect(UserDatabase.groupName(4_000_000_000) == "4000000000")
        #expect(UserDatabase.groupID(named: "no-such-group-\(UUID().uuidString.prefix(8))") == nil)
    }
}

import Foundation
import Testing

/// `SO_PEERCRED` on the control socket: who may read and who may change things, checked with real callers that
/// `setpriv` turns into `nobody` with chosen supplementary groups (root only; skipped elsewhere).
@Suite("control socket access by caller (SO_PEERCRED)")
struct ControlAccessTests {
    static let canSwitchUser = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

    /// Runs authyctl as `nobody` with exactly `groups` as supplementary groups.
    func ctlAsNobody(_ daemon: RunningDaemon, groups: [String], _ arguments: String...) async throws -> CommandResult {
        let groupOption = groups.isEmpty ? "--clear-groups" : "--groups=" + groups.joined(separator: ",")
        return try await CommandRunner.authyctl(
            Array(arguments), socket: daemon.endpoints.controlSocket,
            prefix: ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", groupOption])
    }

    @Test(.enabled(if: canSwitchUser)) func membersOfTheSocketGroupReadButOnlyRootChangesByDefault() async throws {
        try await withDaemon("[Control]\nSocketGroup=users\nSocketMode=0660\n") { daemon in
            let reader = try await ctlAsNobody(daemon, groups: ["users"], "status", "--output", "json")
            #expect(reader.status == 0, "\(reader.stderr)")
            let events = try await ctlAsNobody(daemon, groups: ["users"], "events", "--output", "jsonl")
            #expect(events.status == 0, "\(events.stderr)")

            let prune = try await ctlAsNobody(daemon, groups: ["users"], "events", "prune", "--before", "2020-01-01")
            #expect(prune.status == 77)
            #expect(prune.stderr.contains("permission denied: events prune needs root"), "\(prune.stderr)")
            #expect(prune.stderr.contains("AdminGroup= is empty"), "\(prune.stderr)")

            let simulate = try await ctlAsNobody(daemon, groups: ["users"], "events", "simulate", "user_added", "--webhook", "main")
            #expect(simulate.status == 77, "\(simulate.stderr)")
            #expect(simulate.stderr.contains("events simulate"), "\(simulate.stderr)")
            let keys = try await ctlAsNobody(daemon, groups: ["users"], "webhooks", "list", "--show-signing-keys")
            #expect(keys.status == 77, "\(keys.stderr)")
            #expect(!keys.stdout.contains("WSK_") && !keys.stderr.contains("WSK_"))

            // Nothing was changed by the refused calls; root still may.
            let root = try await CommandRunner.authyctl(["events", "prune", "--before", "2020-01-01", "--output", "json"], socket: daemon.endpoints.controlSocket)
            #expect(root.status == 0, "\(root.stderr)")
            #expect(daemon.log.all.contains { $0.contains("refused events prune to uid 65534") })
        }
    }

    @Test(.enabled(if: canSwitchUser)) func membersOfTheAdminGroupMayChangeThings() async throws {
        try await withDaemon("[Control]\nSocketGroup=users\nSocketMode=0666\nAdminGroup=daemon\n") { daemon in
            let admin = try await ctlAsNobody(daemon, groups: ["users", "daemon"], "events", "prune", "--before", "2020-01-01", "--output", "json")
            #expect(admin.status == 0, "\(admin.stderr)")
            #expect(admin.stdout.contains("\"events\""), "\(admin.stdout)")

            // An admin reads too, even outside the socket's group (the socket's mode lets it connect here).
            let adminReads = try await ctlAsNobody(daemon, groups: ["daemon"], "status", "--output", "json")
            #expect(adminReads.status == 0, "\(adminReads.stderr)")

            let readerOnly = try await ctlAsNobody(daemon, groups: ["users"], "events", "prune", "--before", "2020-01-01")
            #expect(readerOnly.status == 77)
            #expect(readerOnly.stderr.contains("needs root or membership of group daemon ([Control] AdminGroup=)"), "\(readerOnly.stderr)")
        }
    }

    /// A socket opened to everyone by its mode still only answers the socket's group.
    @Test(.enabled(if: canSwitchUser)) func aWorldWritableSocketStillChecksTheCaller() async throws {
        try await withDaemon("[Control]\nSocketGroup=users\nSocketMode=0666\n") { daemon in
            let stranger = try await ctlAsNobody(daemon, groups: [], "status")
            #expect(stranger.status == 77)
            #expect(stranger.stderr.contains("permission denied: status needs root or membership of group users"), "\(stranger.stderr)")
            let events = try await ctlAsNobody(daemon, groups: [], "events", "--output", "jsonl")
            #expect(events.status == 77, "\(events.stderr)")
            #expect(events.stdout.isEmpty)
        }
    }
}

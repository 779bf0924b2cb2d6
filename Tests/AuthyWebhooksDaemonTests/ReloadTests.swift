import AuthyWebhooksConfig
@testable import AuthyWebhooksDaemon
import Foundation
import SystemdSupport
import Testing

/// SIGHUP (ReloadService.reload, called directly: a real SIGHUP would reach every test in the process).
@Suite("Reload")
struct ReloadTests {
    /// The configuration the test daemon runs, followed by `changes` (later sections add to earlier ones).
    func configuration(_ daemon: RunningDaemon, changes: String = "") -> String {
        testConfiguration(in: daemon.directory) + changes
    }

    func reload(_ daemon: RunningDaemon, with text: String) async throws {
        let path = daemon.directory.file("reloaded.conf")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let service = ReloadService(state: daemon.runtime.state, configurationPath: path, notifier: SystemdNotifier(environment: [:]))
        await service.reload()
    }

    @Test func liveSettingsApplyAndStartOnlyOnesAreKeptAndNamed() async throws {
        try await withDaemon { daemon in
            // A delivery of about 1.5 KB: within the default MaxBodySize= (64K), over the reloaded one (1K).
            func large() -> String { "{\"body\":\"\(Tokens.signed(extraClaims: ",\"note\":\"\(String(repeating: "x", count: 1000))\""))\"}" }
            #expect(try await daemon.post(large()).status == 200)

            try await reload(daemon, with: configuration(daemon, changes: """
                [Receiver]
                MaxBodySize=1K
                MaxHeaderSize=8K
                MaxConnections=10
                [Store]
                Synchronous=normal
                [Control]
                IdleTimeout=5s
                """))

            let line = daemon.log.all.last { $0.contains("configuration reloaded") } ?? ""
            #expect(line.contains(
                "a restart is needed to apply [Receiver] MaxHeaderSize=, [Receiver] MaxConnections=, [Store] Synchronous=, [Control] IdleTimeout="),
                "\(line)")
            let running = daemon.runtime.state.configuration
            #expect(running.receiver.maxBodySize == 1024, "MaxBodySize= is read per request")
            #expect(running.receiver.maxHeaderSize == 16 * 1024 && running.receiver.maxConnections == 512)
            #expect(running.control.idleTimeout == .seconds(60) && running.store.synchronous == .full)

            let big = try await daemon.post(large())
            #expect(big.status == 413, "the reloaded MaxBodySize= applies to the next request")
            #expect(try await daemon.post("{\"body\":\"\(Tokens.signed())\"}").status == 200)
        }
    }

    @Test func anUnchangedFileNeedsNoRestart() async throws {
        try await withDaemon { daemon in
            try await reload(daemon, with: configuration(daemon))
            let line = daemon.log.all.last { $0.contains("configuration reloaded") } ?? ""
            #expect(line.contains("configuration reloaded: 1 webhook key(s)") && !line.contains("restart"), "\(line)")
        }
    }
}

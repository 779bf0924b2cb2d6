import AuthyWebhooksConfig
import Foundation
import Logging
import ServiceLifecycle
import SystemdSupport
import UnixSignals

/// SIGHUP re-reads the configuration: webhook keys, log level and limits change in place; a bad file is logged and
/// the running configuration kept. Listen addresses, the socket and the database need a restart (said in the log).
struct ReloadService: Service {
    let state: DaemonState
    let configurationPath: String
    let notifier: SystemdNotifier

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            await reload()
        }
    }

    func reload() async {
        notifier.reloading()
        defer { notifier.ready(status: state.statusLine) }
        let next: DaemonConfiguration
        do {
            next = try DaemonConfiguration.load(path: configurationPath)
        } catch {
            state.logger.error("reload refused, keeping the running configuration: \(error)")
            return
        }
        let current = state.configuration
        var needsRestart: [String] = []
        if next.receiver.listen != current.receiver.listen { needsRestart.append("[Receiver] Listen=") }
        if next.control.socket != current.control.socket { needsRestart.append("[Control] Socket=") }
        if next.store.database != current.store.database { needsRestart.append("[Store] Database=") }
        // Keep what cannot change live, so status and simulate stay truthful until the restart.
        var applied = next
        applied.receiver.listen = current.receiver.listen
        applied.control.socket = current.control.socket
        applied.store.database = current.store.database
        state.configuration = applied
        SystemdLogging.setLevel(Logger.Level(applied.log.level))
        do {
            try await state.reloadKeys()
        } catch {
            state.logger.error("reload: could not read the webhook registry: \(error.message)")
        }
        for warning in next.warnings {
            state.logger.warning("\(warning)")
        }
        let restartNote = needsRestart.isEmpty ? "" : "; a restart is needed to apply \(needsRestart.joined(separator: ", "))"
        state.logger.notice(
            "configuration reloaded: \(state.keyRing.webhookNames.count) webhook key(s)\(restartNote)",
            metadata: ["message_id": .string(JournalMessageID.configReloaded)])
    }
}

extension Logger.Level {
    init(_ setting: LogLevelSetting) {
        switch setting {
        case .trace: self = .trace
        case .debug: self = .debug
        case .info: self = .info
        case .notice: self = .notice
        case .warning: self = .warning
        case .error: self = .error
        case .critical: self = .critical
        }
    }
}

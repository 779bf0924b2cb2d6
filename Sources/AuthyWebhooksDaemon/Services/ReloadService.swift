import AuthyWebhooksConfig
import Foundation
import Logging
import ServiceLifecycle
import SystemdSupport
import UnixSignals

/// SIGHUP re-reads the configuration: webhook keys, the log level, body sizes, read timeouts and retention change in
/// place; a bad file is logged and the running configuration kept. What the listeners, the HTTP decoders and the
/// store were built with at start needs a restart: the log line names each such setting that changed.
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
        var applied = next
        let needsRestart = applied.keepStartOnlySettings(of: state.configuration)
        state.configuration = applied
        SystemdLogging.setLevel(Logger.Level(applied.log.level))
        do {
            try await state.reloadKeys()
        } catch {
            state.logger.error("reload: could not read the webhook registry: \(error.message)")
        }
        do {
            try await state.forwarder.apply(applied.forwards)
        } catch {
            state.logger.error("reload: could not apply the [Forward] targets: \(error)")
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

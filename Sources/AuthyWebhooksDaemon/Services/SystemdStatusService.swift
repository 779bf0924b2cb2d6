import Foundation
import NIOCore
import NIOPosix
import ServiceLifecycle
import SystemdSupport

/// Keeps systemd informed: `STATUS=` kept current, `WATCHDOG=1` at half the watchdog interval (only while the event
/// loop answers and the database answers a write in time), and `STOPPING=1` as soon as a stop begins. It is the last service
/// of the group, so it is the first to hear of the stop.
struct SystemdStatusService: Service {
    let state: DaemonState
    let notifier: SystemdNotifier

    func run() async throws {
        let interval = notifier.watchdogPingInterval ?? .seconds(5)
        try? await cancelWhenGracefulShutdown {
            var lastStatus = ""
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                let line = state.statusLine
                if line != lastStatus {
                    notifier.status(line)
                    lastStatus = line
                }
                if notifier.watchdogInterval != nil, await isHealthy(within: interval) {
                    notifier.watchdogPing()
                }
            }
        }
        // Being last in the group, this service hears of a stop first: tell systemd before the drain starts.
        notifier.stopping(status: "stopping: draining requests in flight")
    }

    /// An event loop runs a task and the database answers a write, both within the deadline. A write the store
    /// refuses quickly (a full disk, a lock held by another process) is not a hang: restarting would not fix it and
    /// would turn fast 503s, which Authy retries, into refused connections. /healthz and the log report it instead.
    private func isHealthy(within limit: Duration) async -> Bool {
        do {
            try await withDeadline(limit) { [state] in
                try await MultiThreadedEventLoopGroup.singleton.next().submit {}.get()
                do {
                    try await state.store.probeWrite()
                } catch {
                    state.logger.warning("watchdog: the database refuses writes (\(error)); still responsive, so WATCHDOG=1 is sent")
                }
            }
            return true
        } catch {
            state.logger.error("watchdog: not healthy, withholding WATCHDOG=1: \(error)")
            return false
        }
    }
}

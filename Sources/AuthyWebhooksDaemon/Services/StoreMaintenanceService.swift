import ServiceLifecycle

/// Runs the store's background upkeep (SQLite: a passive WAL checkpoint) at most every
/// `EventStore.backgroundMaintenanceInterval`, and only after something was written, so commits never pay for it
/// and an idle daemon stays asleep. Ends at graceful shutdown; the store's `close()` then does the final checkpoint.
/// A store without upkeep (nil interval, e.g. in memory) still waits for graceful shutdown: every service is set to
/// shut the group down when it returns, so returning at once would end the daemon.
struct StoreMaintenanceService: Service {
    let state: DaemonState

    func run() async throws {
        guard let interval = state.store.backgroundMaintenanceInterval else {
            try? await gracefulShutdown()
            return
        }
        await repeatUntilShutdown(every: interval) {
            // Sleeps while nothing is written: an idle daemon does not wake up every round.
            await cancelWhenGracefulShutdown { await state.store.waitUntilMaintenanceIsDue() }
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            await state.store.performBackgroundMaintenance()
        }
    }
}

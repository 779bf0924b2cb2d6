import ServiceLifecycle

/// Runs the store's background upkeep (SQLite: a passive WAL checkpoint) every
/// `EventStore.backgroundMaintenanceInterval`, so commits never pay for it. Ends at graceful shutdown; the store's
/// `close()` then does the final checkpoint.
struct StoreMaintenanceService: Service {
    let state: DaemonState

    func run() async throws {
        guard let interval = state.store.backgroundMaintenanceInterval else { return }
        await repeatUntilShutdown(every: interval) { await state.store.performBackgroundMaintenance() }
    }
}

import ServiceLifecycle

/// The loop of the daemon's background services: `round` now, then again every `interval`, until a graceful
/// shutdown begins (the sleep ends at once) or the task is cancelled.
func repeatUntilShutdown(every interval: Duration, _ round: () async -> Void) async {
    while !Task.isCancelled, !Task.isShuttingDownGracefully {
        await round()
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        } catch {
            return
        }
    }
}

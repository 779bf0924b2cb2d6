import EventStore
import Foundation
import ServiceLifecycle

/// `[Store] Retention=`: prunes events older than the retention in small batches, every few minutes, in the
/// background. Does nothing when retention is 0 (keep forever).
struct RetentionService: Service {
    let state: DaemonState
    var interval: Duration = .seconds(300)

    func run() async throws {
        await repeatUntilShutdown(every: interval) {
            guard let retention = state.configuration.store.retention else { return }
            let cutoff = Date().addingTimeInterval(-retention.timeInterval)
            do throws(StoreError) {
                let result = try await state.store.prune(receivedBefore: cutoff, batchSize: 500, dryRun: false)
                if result.events > 0 {
                    state.logger.info("retention: pruned \(result.events) events (\(result.deliveries) deliveries) older than \(cutoff)")
                }
            } catch {
                state.logger.warning("retention: prune failed, will retry: \(error.message)")
            }
        }
    }
}

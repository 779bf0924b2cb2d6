@testable import AuthyWebhooksDaemon
import AuthyWebhooksConfig
import EventStore
import Logging
import ServiceLifecycle
import Testing

@Suite("StoreMaintenanceService")
struct StoreMaintenanceServiceTests {
    @Test("a store without background upkeep does not end the service group: it waits for graceful shutdown")
    func storeWithoutUpkeepKeepsTheGroupRunning() async throws {
        let store = try SQLiteEventStore(inMemoryWith: .init())
        #expect(store.backgroundMaintenanceInterval == nil)
        let state = DaemonState(configuration: .default, store: store, logger: Logger(label: "test"))
        // Set up as DaemonRuntime sets up every service: its return shuts the group down.
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: StoreMaintenanceService(state: state),
                             successTerminationBehavior: .gracefullyShutdownGroup,
                             failureTerminationBehavior: .gracefullyShutdownGroup)],
            logger: Logger(label: "test")))
        // Whichever ends first: the group (the defect) or a 300 ms timer.
        try await withThrowingTaskGroup(of: String.self) { tasks in
            tasks.addTask {
                try await group.run()
                return "group"
            }
            tasks.addTask {
                try await Task.sleep(for: .milliseconds(300))
                return "timer"
            }
            let first = try await tasks.next()
            #expect(first == "timer", "the group ended without a shutdown")
            await group.triggerGracefulShutdown()
            let second = try await tasks.next()
            #expect(second == "group")
        }
        try await store.close()
    }
}

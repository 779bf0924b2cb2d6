import AuthyWebhooksConfig
import EventStore
import Foundation
import Logging
import Synchronization

/// What the receiver, the control socket and the background services share.
final class DaemonState: Sendable {
    let store: any EventStore
    let keyRing: KeyRing
    let notifier: EventNotifier
    /// Hands stored events on to the `[Forward]` targets.
    let forwarder: Forwarder
    let startedAt: Date
    let logger: Logger
    /// The configuration in force: replaced as a whole by a successful reload (SIGHUP).
    private let liveConfiguration: Mutex<DaemonConfiguration>
    /// Addresses the receiver really listens on (port 0 in the configuration becomes the bound port).
    private let boundReceivers = Mutex<[String]>([])
    /// Events stored, kept in memory for the STATUS= line (counted once at start).
    let eventCount = Atomic<Int>(0)

    init(configuration: DaemonConfiguration, store: any EventStore, logger: Logger) {
        self.liveConfiguration = Mutex(configuration)
        self.store = store
        self.keyRing = KeyRing()
        self.notifier = EventNotifier()
        self.forwarder = Forwarder(store: store, logger: logger)
        self.startedAt = Date()
        self.logger = logger
    }

    var configuration: DaemonConfiguration {
        get { liveConfiguration.withLock { $0 } }
        set { liveConfiguration.withLock { $0 = newValue } }
    }

    var receiverAddresses: [String] { boundReceivers.withLock { $0 } }

    func receiverBound(_ address: String) {
        boundReceivers.withLock { $0.append(address) }
    }

    /// Rebuilds the key ring from the configuration and the store's registry.
    func reloadKeys() async throws(StoreError) {
        let configuration = self.configuration
        let registry = try await store.webhooks()
        let graceStart = Date().addingTimeInterval(-configuration.receiver.retiredKeyGrace.timeInterval)
        let retired = try await store.retiredSigningKeys(since: graceStart)
        keyRing.rebuild(configuration: configuration, registry: registry, retired: retired)
    }

    /// `listening on 127.0.0.1:8080; 1234 events stored`
    var statusLine: String {
        let addresses = receiverAddresses
        let listening = addresses.isEmpty ? "starting" : "listening on " + addresses.joined(separator: ", ")
        return "\(listening); \(eventCount.load(ordering: .relaxed)) events stored"
    }
}

import AsyncHTTPClient
import AuthyWebhooksConfig
import ControlProtocol
import EventStore
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import SystemdSupport

/// Where a running daemon can be reached (ports are the bound ones, so `Listen=127.0.0.1:0` works in tests).
public struct DaemonEndpoints: Sendable {
    /// `HOST:PORT` of each receiver listener.
    public var receivers: [String]
    /// Path of the control socket.
    public var controlSocket: String
    /// Full URL of the delivery path on the first listener.
    public var deliveryURL: String
}

/// One run of the daemon: the store opened and migrated, the receivers and the control socket, and the background
/// services, in one `ServiceGroup`. The executable and the tests build it the same way.
public final class DaemonRuntime: Sendable {
    let state: DaemonState
    let httpClient: HTTPClient
    let group: ServiceGroup
    let readiness: ReadinessGate

    /// Opens the store (creating and migrating it) and prepares every listener; nothing is bound yet.
    public init(
        configuration: DaemonConfiguration, configurationPath: String?, logger: Logger,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        onReady: @escaping @Sendable (DaemonEndpoints) async -> Void = { _ in }
    ) async throws {
        let store = try SQLiteEventStore(
            path: configuration.store.database,
            options: .init(durability: configuration.store.synchronous == .full ? .full : .normal, busyTimeout: configuration.store.busyTimeout))
        let state = DaemonState(configuration: configuration, store: store, logger: logger)
        try await state.reloadKeys()
        try ControlSocketFile.prepare(path: configuration.control.socket)

        let systemd = SystemdNotifier(environment: environment)
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
        let notifier = state.notifier
        let forwarder = state.forwarder
        try await forwarder.start(configuration.forwards)
        let committed = CommittedDeliveries(state: state)
        let writer = DeliveryWriter(
            store: store, capacity: configuration.receiver.maxPendingWrites, logger: logger,
            routes: { forwarder.routes }, onCommit: committed.committed)
        let readiness = ReadinessGate(expected: configuration.receiver.listen.count + 1) { [state] in
            let configuration = state.configuration
            let endpoints = DaemonEndpoints(
                receivers: state.receiverAddresses, controlSocket: configuration.control.socket,
                deliveryURL: "http://\(DeliverySimulator.connectable(state.receiverAddresses.first ?? ""))\(configuration.receiver.path)")
            systemd.ready(status: state.statusLine)
            logger.notice(
                "authy-webhooksd \(ControlProtocolVersion.string) ready: receiving on \(endpoints.receivers.joined(separator: ", ")) at \(configuration.receiver.path), control socket \(endpoints.controlSocket)",
                metadata: ["message_id": .string(JournalMessageID.started)])
            await onReady(endpoints)
            // Counted after READY=1 so a large database does not delay start-up; used for STATUS= only.
            if let statistics = try? await state.store.statistics() {
                state.eventCount.add(statistics.events, ordering: .relaxed)
            }
        }

        // Stopped in reverse order: the receivers first, then forwarding (attempts in flight get their grace), the
        // store's upkeep, and last the writer, which commits whatever the receivers accepted.
        var services: [any Service] = [writer, StoreMaintenanceService(state: state), forwarder]
        let serverLogger = Self.serverLogger(logger)
        let receiver = ReceiverResponder(state: state, writer: writer)
        for address in configuration.receiver.listen {
            let slots = ConnectionSlots(limit: configuration.receiver.maxConnections)
            services.append(Application(
                responder: receiver,
                server: .http1(configuration: .init(
                    // An autoclosure run for each connection: ReadTimeout= comes from the live configuration, so a
                    // reload applies to the next connection. MaxHeaderSize= and IdleTimeout= are fixed at start,
                    // like the HTTP decoder they configure (a reload keeps their running value and logs that a restart is needed).
                    // At MaxConnections=, idle kept-alive connections make room for new ones (ConnectionSlots).
                    additionalChannelHandlers: [
                        RequestReadDeadlineHandler(timeout: TimeAmount(state.configuration.receiver.readTimeout), maxHeaderSize: configuration.receiver.maxHeaderSize),
                        IdleConnectionReclaimer(slots: slots),
                    ],
                    idleTimeout: TimeAmount(configuration.receiver.idleTimeout),
                    httpDecoderConfiguration: .init(
                        maxHeaderFieldSize: configuration.receiver.maxHeaderSize,
                        maxHeaderListSize: configuration.receiver.maxHeaderSize, maxHeaderFieldCount: 100))),
                configuration: .init(
                    address: .hostname(address.host, port: address.port), serverName: nil, backlog: 1024,
                    availableConnectionsDelegate: MaximumAvailableConnections(configuration.receiver.maxConnections)),
                onServerRunning: { channel in
                    let bound = channel.localAddress.map(ReceiverRequestContext.describe) ?? address.description
                    state.receiverBound(bound)
                    await readiness.arrive()
                },
                logger: serverLogger))
        }
        let manager = WebhookManager(state: state, httpClient: httpClient)
        let router = ControlRouter(state: state, webhooks: manager, simulator: DeliverySimulator(state: state, httpClient: httpClient)).build()
        let control = configuration.control
        let controlSlots = ConnectionSlots(limit: control.maxConnections)
        services.append(Application(
            router: router,
            // The same limits as the receiver: a local client trickling a head, or opening connection after
            // connection, holds nothing for longer than ReadTimeout= and never more than MaxConnections= slots.
            server: .http1(configuration: .init(
                // As for the receiver: ReadTimeout= is read per connection, the rest is fixed at start.
                additionalChannelHandlers: [
                    RequestReadDeadlineHandler(timeout: TimeAmount(state.configuration.control.readTimeout), maxHeaderSize: control.maxHeaderSize),
                    IdleConnectionReclaimer(slots: controlSlots),
                ],
                idleTimeout: TimeAmount(control.idleTimeout),
                httpDecoderConfiguration: .init(
                    maxHeaderFieldSize: control.maxHeaderSize, maxHeaderListSize: control.maxHeaderSize, maxHeaderFieldCount: 100))),
            configuration: .init(
                address: .unixDomainSocket(path: control.socket), serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(control.maxConnections)),
            onServerRunning: { _ in
                do {
                    try ControlSocketFile.setPermissions(path: control.socket, mode: control.socketMode, group: control.socketGroup)
                } catch {
                    logger.error("control socket: \(error)")
                }
                await readiness.arrive()
            },
            logger: serverLogger))
        services.append(notifier)
        if let configurationPath {
            services.append(ReloadService(state: state, configurationPath: configurationPath, notifier: systemd))
        }
        services.append(RetentionService(state: state))
        services.append(SystemdStatusService(state: state, notifier: systemd))

        self.state = state
        self.httpClient = httpClient
        self.readiness = readiness
        self.group = ServiceGroup(configuration: .init(
            services: services.map {
                .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)
            },
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger))
    }

    /// Runs until SIGTERM/SIGINT or ``shutdown()``, then drains: listeners stop accepting, requests in flight are
    /// committed or refused, the database is closed cleanly.
    public func run() async throws {
        var failure: (any Error)?
        do {
            try await group.run()
        } catch {
            failure = error
        }
        try? await httpClient.shutdown()
        do {
            try await state.store.close()
        } catch {
            state.logger.error("closing the database: \(error.message)")
        }
        state.logger.notice("authy-webhooksd stopped", metadata: ["message_id": .string(JournalMessageID.stopped)])
        if let failure { throw failure }
    }

    /// Starts a graceful stop (what SIGTERM does).
    public func shutdown() async {
        await group.triggerGracefulShutdown()
    }

    /// Hummingbird's own per-request logging stays at debug; startup and errors still show.
    static func serverLogger(_ logger: Logger) -> Logger {
        var server = logger
        server[metadataKey: "component"] = "http"
        return server
    }
}

/// Calls `ready` once every listener is bound.
final class ReadinessGate: Sendable {
    private let remaining: Mutex<Int>
    private let ready: @Sendable () async -> Void

    init(expected: Int, ready: @escaping @Sendable () async -> Void) {
        self.remaining = Mutex(expected)
        self.ready = ready
    }

    func arrive() async {
        let isLast = remaining.withLock { count -> Bool in
            count -= 1
            return count == 0
        }
        if isLast { await ready() }
    }
}

import ControlProtocol
import EventStore
import Foundation
import Hummingbird
import NIOCore
import WebhookVerification

/// The control socket's routes (`/v1/…`), JSON over HTTP/1.1 on a Unix socket.
struct ControlRouter {
    let state: DaemonState
    let webhooks: WebhookManager
    let simulator: DeliverySimulator

    func build() -> Router<ControlRequestContext> {
        let router = Router(context: ControlRequestContext.self)
        router.add(middleware: ControlErrorMiddleware())
        router.add(middleware: ControlAccessMiddleware(state: state))
        router.get(RouterPath(ControlAPI.statusPath)) { _, _ in try await status() }
        router.get(RouterPath(ControlAPI.eventsPath)) { request, _ in try await events(request) }
        router.get(RouterPath(ControlAPI.eventsPath + "/:id")) { request, context in try await event(request, context: context) }
        router.post(RouterPath(ControlAPI.simulatePath)) { request, _ in
            let body = try await decode(SimulateRequest.self, from: request)
            return JSONResponse.encoded(try await simulator.simulate(body))
        }
        router.post(RouterPath(ControlAPI.prunePath)) { request, _ in
            let body = try await decode(PruneRequest.self, from: request)
            let result = try await state.store.prune(receivedBefore: body.before, batchSize: 1000, dryRun: body.dryRun)
            if !body.dryRun {
                state.logger.notice("pruned \(result.events) events (\(result.deliveries) deliveries) received before \(Timestamp.rfc3339(body.before))")
            }
            return JSONResponse.encoded(PruneResponse(deliveries: result.deliveries, events: result.events, dryRun: result.dryRun))
        }
        router.get(RouterPath(ControlAPI.webhooksPath)) { request, _ in
            let remote = request.queryFlag("remote")
            let showKeys = request.queryFlag("show_signing_keys")
            return JSONResponse.encoded(try await webhooks.list(remote: remote, showSigningKeys: showKeys))
        }
        router.post(RouterPath(ControlAPI.webhooksPath)) { request, _ in
            let body = try await decode(CreateWebhookRequest.self, from: request)
            return JSONResponse.encoded(try await webhooks.create(body), status: .created)
        }
        router.post(RouterPath(ControlAPI.syncPath)) { request, _ in
            let body = try await decode(SyncRequest.self, from: request)
            return JSONResponse.encoded(try await webhooks.sync(body))
        }
        router.delete(RouterPath(ControlAPI.webhooksPath + "/:idOrName")) { _, context in
            let idOrName = try context.parameters.require("idOrName")
            return JSONResponse.encoded(try await webhooks.delete(idOrName: idOrName.removingPercentEncoding ?? idOrName))
        }
        addForwardRoutes(to: router)
        return router
    }

    /// Decodes a JSON body of at most `[Control] MaxBodySize=` bytes.
    func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let limit = state.configuration.control.maxBodySize
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch is DeadlineExceeded {
            throw ControlFailure(.requestTimeout, .badRequest, "the request body did not arrive in time")
        } catch is NIOTooManyBytesError {
            throw ControlFailure(.contentTooLarge, .payloadTooLarge, "the request body is larger than [Control] MaxBodySize=\(limit) bytes")
        }
        do {
            return try ControlJSON.decoder().decode(T.self, from: Data(body.readableBytesView))
        } catch {
            throw ControlFailure(.badRequest, .badRequest, "the request body is not a valid \(T.self): \(error)")
        }
    }

    private func status() async throws -> Response {
        let statistics: StoreStatistics
        do {
            statistics = try await state.store.statistics()
        } catch {
            throw ControlFailure(.serviceUnavailable, .storeUnavailable, error.message)
        }
        let configuration = state.configuration
        return JSONResponse.encoded(StatusResponse(
            version: ControlProtocolVersion.string, startedAt: state.startedAt,
            uptimeSeconds: Date().timeIntervalSince(state.startedAt), databasePath: statistics.location,
            databaseSizeBytes: statistics.sizeBytes, deliveries: statistics.deliveries, events: statistics.events,
            lastEventAt: statistics.lastEventAt, listeners: state.receiverAddresses, deliveryPath: configuration.receiver.path,
            controlSocket: configuration.control.socket, webhooks: state.keyRing.webhookNames,
            missingCredentials: configuration.authy.missingCredentials, durability: statistics.durability,
            forwarding: try await forwardStatuses()))
    }

    private func event(_ request: Request, context: ControlRequestContext) async throws -> Response {
        let text = try context.parameters.require("id")
        guard let id = Int64(text) else {
            throw ControlFailure(.badRequest, .badRequest, "an event id is a whole number, got \(JSONText.quoted(text))")
        }
        guard let (event, delivery) = try await state.store.event(id: id) else {
            throw ControlFailure(.notFound, .notFound, "no event with id \(id)")
        }
        var raw: EventDetail.Raw?
        if request.queryFlag("raw") {
            // The token verified when it arrived; here it is only decoded, to show it exactly as received.
            let parts = try? DeliveryVerifier.decodeUnverified(token: delivery.token)
            raw = EventDetail.Raw(
                token: delivery.token,
                header: parts.map { String(decoding: $0.header, as: UTF8.self) } ?? "",
                claims: parts.map { String(decoding: $0.claims, as: UTF8.self) } ?? "")
        }
        return JSONResponse.encoded(EventDetail(
            event: Self.line(event),
            delivery: EventDetail.Delivery(
                id: delivery.id, receivedAt: Date(timeIntervalSince1970: Double(delivery.receivedAtMicros) / 1_000_000),
                remoteAddress: delivery.remoteAddress, webhook: delivery.webhook, webhookID: delivery.webhookID,
                eventCount: delivery.eventCount),
            raw: raw,
            forwarding: try await forwardStates(eventID: id)))
    }

    static func line(_ event: StoredEvent) -> String {
        EventRecord.jsonLine(
            id: event.id, type: event.type, receivedAtMicros: event.receivedAtMicros, occurredAt: event.occurredAt,
            webhook: event.webhook, deliveryID: event.deliveryID, requestID: event.requestID, payloadJSON: event.payload)
    }
}

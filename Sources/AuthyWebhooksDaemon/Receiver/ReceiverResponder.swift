import ControlProtocol
import Crypto
import EventStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import SystemdSupport
import WebhookVerification

/// Request context of the receiver: Hummingbird's core context plus the peer's address for the log.
struct ReceiverRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress.map(ReceiverRequestContext.describe)
    }

    static func describe(_ address: SocketAddress) -> String {
        switch address {
        case .v4: "\(address.ipAddress ?? "?"):\(address.port ?? 0)"
        case .v6: "[\(address.ipAddress ?? "?")]:\(address.port ?? 0)"
        case .unixDomainSocket: address.pathname ?? "unix"
        }
    }
}

/// Answers Authy's POSTs: envelope → verification → durable commit → 200. Every answer is JSON with a stable code.
struct ReceiverResponder: HTTPResponder {
    typealias Context = ReceiverRequestContext

    let state: DaemonState
    let writer: DeliveryWriter

    func respond(to request: Request, context: Context) async throws -> Response {
        let configuration = state.configuration.receiver
        let path = request.uri.path
        if path == configuration.path {
            guard request.method == .post else {
                return JSONResponse.error(.methodNotAllowed, message: "deliveries are POSTed to \(configuration.path)", headers: [.allow: "POST"])
            }
            return await receive(request, context: context, maxBodySize: configuration.maxBodySize)
        }
        if path == "/healthz" {
            guard request.method == .get || request.method == .head else {
                return JSONResponse.error(.methodNotAllowed, message: "/healthz answers GET", headers: [.allow: "GET, HEAD"])
            }
            return await health()
        }
        return JSONResponse.error(.notFound, message: "no such path; deliveries go to \(configuration.path)")
    }

    private func health() async -> Response {
        do {
            try await state.store.probeWrite()
            return JSONResponse.text(.ok, "{\"status\":\"ok\"}\n")
        } catch {
            return JSONResponse.text(.serviceUnavailable, "{\"status\":\"unavailable\",\"error\":{\"code\":" + JSONText.quoted(ReceiverErrorCode(error.code).rawValue) + ",\"message\":" + JSONText.quoted(error.message) + "}}\n")
        }
    }

    private func receive(_ request: Request, context: Context, maxBodySize: Int) async -> Response {
        let remote = context.remoteAddress ?? "unknown"
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodySize {
            return reject(DeliveryError(.payloadTooLarge, "the body (\(declared) bytes) is larger than MaxBodySize=\(maxBodySize)"), remote: remote)
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodySize)
        } catch is NIOTooManyBytesError {
            return reject(DeliveryError(.payloadTooLarge, "the body is larger than MaxBodySize=\(maxBodySize)"), remote: remote)
        } catch is DeadlineExceeded {
            // Raised by RequestReadDeadlineHandler when the body is not complete ReadTimeout= after the head.
            return reject(DeliveryError(.requestTimeout, "the body did not arrive within ReadTimeout"), remote: remote)
        } catch {
            return reject(DeliveryError(.unreadableBody, "the body could not be read"), remote: remote)
        }

        let verified: VerifiedDelivery
        do {
            let token = try DeliveryEnvelope.extractToken(from: Array(body.readableBytesView), contentType: request.headers[.contentType])
            verified = try state.keyRing.verify(token: token)
        } catch {
            return reject(error, remote: remote)
        }

        let delivery = NewDelivery(
            token: verified.token, tokenSHA256: Array(SHA256.hash(data: Array(verified.token.utf8))),
            remoteAddress: remote, webhook: verified.webhook, webhookID: state.keyRing.webhookID(forName: verified.webhook),
            events: verified.events.map { item in
                NewEvent(type: item.type, occurredAt: item.occurredAt, requestID: item.requestID, payload: String(decoding: item.payloadJSON, as: UTF8.self))
            })
        switch await writer.submit(delivery) {
        case .success(let outcome):
            // Logged, announced to followers and handed to forwarding by CommittedDeliveries, once committed.
            return JSONResponse.text(.ok, "{\"delivery_id\":\(outcome.deliveryID),\"events\":\(outcome.eventCount),\"duplicate\":\(outcome.duplicate)}\n")
        case .failure(let rejection):
            switch rejection.reason {
            case .overloaded:
                return reject(DeliveryError(.overloaded, "too many deliveries are waiting for the store; retry later"), remote: remote, headers: [.retryAfter: "1"])
            case .stopping:
                return reject(DeliveryError(.shuttingDown, "the daemon is stopping; retry later"), remote: remote, headers: [.retryAfter: "5"])
            case .store(let error):
                return reject(DeliveryError(ReceiverErrorCode(error.code), "the delivery could not be stored (\(error.code.rawValue)); retry later"), remote: remote, headers: [.retryAfter: "5"])
            }
        }
    }

    /// Logs the refusal (never the token) and answers with the error's status and stable code.
    private func reject(_ error: DeliveryError, remote: String, headers: HTTPFields = [:]) -> Response {
        let level: Logger.Level = error.httpStatus == 503 ? .error : .warning
        state.logger.log(
            level: level, "delivery rejected: \(error.message)",
            metadata: [
                "message_id": .string(JournalMessageID.deliveryRejected),
                "verify_result": .string(error.code),
                "remote_addr": .string(remote),
            ])
        return JSONResponse.error(error.reason, message: error.message, headers: headers)
    }
}

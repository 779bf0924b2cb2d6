import AsyncHTTPClient
import ControlProtocol
import Foundation
import NIOCore
import NIOHTTP1

/// `authyctl events simulate`: builds a delivery signed exactly as Authy would sign it with a known webhook's key
/// and POSTs it to this daemon's own receiver over HTTP, so the whole path (envelope, verification, commit) runs.
struct DeliverySimulator: Sendable {
    let state: DaemonState
    let httpClient: HTTPClient

    func simulate(_ request: SimulateRequest) async throws -> SimulateResponse {
        guard !request.type.isEmpty, request.type.utf8.count <= 200 else {
            throw ControlFailure(.badRequest, .badRequest, "an event type is a non-empty name such as user_added")
        }
        let webhook = try await chooseWebhook(request.webhook)
        guard let key = state.keyRing.signingKey(forName: webhook) else {
            throw ControlFailure(.badRequest, .noSigningKey, "webhook \(webhook) has no signing key")
        }
        guard let address = state.receiverAddresses.first else {
            throw ControlFailure(.serviceUnavailable, .simulationFailed, "the receiver is not listening yet")
        }
        let configuration = state.configuration.receiver
        let url = "http://\(Self.connectable(address))\(configuration.path)"
        let now = Date()
        let requestID = "sim_" + UUID().uuidString.lowercased()
        let item = "{\"event\":" + JSONText.quoted(request.type) + ",\"objects\":{},\"request\":{\"id\":" + JSONText.quoted(requestID)
            + ",\"ip\":\"127.0.0.1\"},\"time\":" + JSONText.quoted(Timestamp.rfc3339(now)) + ",\"simulated\":true}"
        let claims = "{\"url\":" + JSONText.quoted(configuration.publicURL ?? url) + ",\"params\":{\"events\":[" + item
            + "]},\"iat\":\(Int(now.timeIntervalSince1970)),\"jti\":" + JSONText.quoted(requestID) + "}"
        let token = WebhookTokenSigner.sign(claims: claims, key: key)

        var post = HTTPClientRequest(url: url)
        post.method = .POST
        post.headers.add(name: "Content-Type", value: "application/json")
        post.body = .bytes(ByteBuffer(string: "{\"body\":" + JSONText.quoted(token) + "}"))
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await httpClient.execute(post, timeout: Self.timeout)
            body = try await response.body.collect(upTo: 64 * 1024)
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw ControlFailure(.badGateway, .simulationFailed, "the receiver at \(url) did not answer within \(Self.timeout.nanoseconds / 1_000_000_000) s")
        } catch {
            throw ControlFailure(.badGateway, .simulationFailed, "could not POST to the receiver at \(url): \(error)")
        }
        let answer = try? ControlJSON.decoder().decode(DeliveryAnswer.self, from: Data(body.readableBytesView))
        if answer == nil {
            let failure = try? ControlJSON.decoder().decode(ControlErrorResponse.self, from: Data(body.readableBytesView))
            throw ControlFailure(
                status: .badGateway, code: ControlErrorCode.simulationFailed.rawValue,
                message: "the receiver answered \(response.status.code)" + (failure.map { ": \($0.error.code): \($0.error.message)" } ?? ""))
        }
        return SimulateResponse(
            webhook: webhook, status: Int(response.status.code), deliveryID: answer?.deliveryID, events: answer?.events,
            duplicate: answer?.duplicate, url: url)
    }

    /// How long the loopback POST may take. It normally takes milliseconds; the margin is for a machine so loaded
    /// that the receiver waits for CPU (CI once saw 10 s go by while running every suite at once), and a delivery
    /// waiting for a busy store can take up to BusyTimeout= by design.
    static let timeout: TimeAmount = .seconds(30)

    /// The named webhook (by name or Authy id), or the only one with a key.
    private func chooseWebhook(_ requested: String?) async throws -> String {
        let names = state.keyRing.webhookNames
        if let requested {
            if names.contains(requested) { return requested }
            let registry = (try? await state.store.webhooks()) ?? []
            if let match = registry.first(where: { $0.id == requested }), names.contains(match.name) { return match.name }
            throw ControlFailure(.notFound, .unknownWebhook, "no webhook named \(requested) has a signing key; known: \(names.isEmpty ? "none" : names.joined(separator: ", "))")
        }
        switch names.count {
        case 0: throw ControlFailure(.badRequest, .noSigningKey, "no webhook has a signing key: add a [Webhook] section with Name= and SigningKey=, or create one with `authyctl webhooks create`")
        case 1: return names[0]
        default: throw ControlFailure(.badRequest, .badRequest, "several webhooks have signing keys (\(names.joined(separator: ", "))): choose one with --webhook")
        }
    }

    /// A wildcard listen address is reached through loopback.
    static func connectable(_ address: String) -> String {
        if address.hasPrefix("0.0.0.0:") { return "127.0.0.1:" + address.dropFirst("0.0.0.0:".count) }
        if address.hasPrefix("[::]:") { return "[::1]:" + address.dropFirst("[::]:".count) }
        return address
    }
}

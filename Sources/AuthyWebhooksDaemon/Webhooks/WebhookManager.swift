import AsyncHTTPClient
import AuthyAPI
import AuthyWebhooksConfig
import ControlProtocol
import EventStore
import Foundation
import HTTPTypes
import Logging
import SystemdSupport

/// The webhook registry's keeper: talks to Authy (create, list, delete, sync), records every change in the store in
/// one transaction with one log line, and refreshes the receiver's keys at once. An actor, so two `sync`s never
/// interleave.
actor WebhookManager {
    let state: DaemonState
    let httpClient: HTTPClient

    init(state: DaemonState, httpClient: HTTPClient) {
        self.state = state
        self.httpClient = httpClient
    }

    /// A client for the configured account, or a clear failure naming the missing keys.
    func client() throws -> AuthyWebhooksClient {
        let authy = state.configuration.authy
        guard let app = authy.appAPIKey, let access = authy.accessKey, let signing = authy.apiSigningKey else {
            throw ControlFailure(
                .preconditionFailed, .credentialsMissing,
                "the Authy API credentials are not configured: missing \(authy.missingCredentials.joined(separator: ", ")) (set them in [Authy] or as systemd credentials)")
        }
        return AuthyWebhooksClient(
            baseURL: authy.apiURL, credentials: AuthyCredentials(appAPIKey: app, accessKey: access, apiSigningKey: signing),
            httpClient: httpClient, requestTimeout: authy.requestTimeout, logger: state.logger)
    }

    static func failure(_ error: AuthyAPIError) -> ControlFailure {
        let status: HTTPResponse.Status = error.code == "invalid_event" ? .badRequest : .badGateway
        return ControlFailure(status: status, code: error.code, message: error.message)
    }

    /// Runs one Authy call, turning its typed error into a control-API failure (status and Authy's message).
    func authy<T: Sendable>(_ call: () async throws(AuthyAPIError) -> T) async throws -> T {
        do {
            return try await call()
        } catch {
            throw Self.failure(error)
        }
    }

    /// Deletes at Authy; false when the webhook was already gone there (404), which is not an error.
    func deleteAtAuthy(_ client: AuthyWebhooksClient, id: String) async throws -> Bool {
        do {
            try await client.delete(id: id)
            return true
        } catch {
            if error.status == 404 { return false }
            throw Self.failure(error)
        }
    }

    // MARK: list

    func list(remote: Bool, showSigningKeys: Bool) async throws -> WebhookListResponse {
        let reveal: (String?) -> String? = { showSigningKeys ? $0 : WebhookRecord.mask($0) }
        if remote {
            let client = try client()
            let webhooks = try await authy { () async throws(AuthyAPIError) in try await client.list() }
            return WebhookListResponse(
                webhooks: webhooks.map {
                    WebhookRecord(id: $0.id, name: $0.name, url: $0.url, events: $0.events, source: "remote", signingKey: reveal($0.signingKey), lastSyncedAt: nil)
                }, remote: true)
        }
        var records = try await state.store.webhooks().map {
            WebhookRecord(id: $0.id, name: $0.name, url: $0.url, events: $0.events, source: $0.source.rawValue, signingKey: reveal($0.signingKey), lastSyncedAt: $0.lastSyncedAt)
        }
        for webhook in state.configuration.webhooks where webhook.signingKey != nil {
            records.append(WebhookRecord(
                id: "config:" + webhook.name, name: webhook.name, url: webhook.url, events: webhook.events, source: "config",
                signingKey: reveal(webhook.signingKey), lastSyncedAt: nil))
        }
        return WebhookListResponse(webhooks: records.sorted { ($0.name, $0.id) < ($1.name, $1.id) }, remote: false)
    }

    // MARK: create

    func create(_ request: CreateWebhookRequest) async throws -> WebhookRecord {
        let name = request.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw ControlFailure(.badRequest, .badRequest, "a webhook needs a name (--name)") }
        guard let url = URL(string: request.url), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw ControlFailure(.badRequest, .badRequest, "the webhook URL must be an http(s) URL, got \(JSONText.quoted(request.url))")
        }
        guard !request.events.isEmpty else { throw ControlFailure(.badRequest, .badRequest, "a webhook needs at least one event (--event)") }
        let existing = try await state.store.webhooks()
        if existing.contains(where: { $0.name == name }) || state.configuration.webhooks.contains(where: { $0.name == name && $0.signingKey != nil }) {
            throw ControlFailure(.conflict, .conflict, "a webhook named \(name) is already registered")
        }
        let client = try client()
        let created = try await authy { () async throws(AuthyAPIError) in
            try await client.create(name: name, url: request.url, events: request.events, allowUnknownEvents: request.allowUnknownEvents)
        }
        let now = Date()
        let registered = RegisteredWebhook(
            id: created.id, name: created.name, url: created.url, events: created.events, signingKey: created.signingKey,
            source: .created, createdAt: now, lastSyncedAt: now)
        try await record([.upsert(registered)], "webhook \(created.name) (\(created.id)) created at Authy and registered", webhook: created.name)
        return WebhookRecord(id: created.id, name: created.name, url: created.url, events: created.events, source: "created", signingKey: WebhookRecord.mask(created.signingKey), lastSyncedAt: now)
    }

    // MARK: delete

    func delete(idOrName: String) async throws -> DeleteWebhookResponse {
        let registry = try await state.store.webhooks()
        let matches = registry.filter { $0.id == idOrName || $0.name == idOrName }
        if matches.count > 1 {
            throw ControlFailure(.conflict, .conflict, "several webhooks are named \(idOrName): delete one by id (\(matches.map(\.id).joined(separator: ", ")))")
        }
        if matches.isEmpty, state.configuration.webhooks.contains(where: { $0.name == idOrName }) {
            throw ControlFailure(.conflict, .conflict, "webhook \(idOrName) is declared in the configuration: remove its [Webhook] section instead")
        }
        let id = matches.first?.id ?? idOrName
        let name = matches.first?.name ?? idOrName
        guard matches.first != nil || id.hasPrefix("WH_") else {
            throw ControlFailure(.notFound, .unknownWebhook, "no webhook named or with id \(idOrName) in the registry (see `authyctl webhooks list`)")
        }
        let note: String? = try await deleteAtAuthy(client(), id: id) ? nil : "already gone at Authy; removed locally"
        if matches.first != nil {
            try await record([.remove(id: id)], "webhook \(name) (\(id)) deleted" + (note.map { " (\($0))" } ?? " at Authy and locally"), webhook: name)
        }
        return DeleteWebhookResponse(id: id, name: name, note: note)
    }

    /// Applies registry changes in one transaction, logs one line (with `WEBHOOK=`, as the journal catalog says), and
    /// refreshes the receiver's keys.
    func record(_ changes: [RegistryChange], _ message: String, webhook: String) async throws {
        do {
            try await state.store.applyRegistryChanges(changes, at: Date())
            try await state.reloadKeys()
        } catch {
            throw ControlFailure(.serviceUnavailable, .storeUnavailable, error.message)
        }
        state.logger.notice("\(message)", metadata: ["message_id": .string(JournalMessageID.registryChanged), "webhook": .string(webhook)])
    }
}

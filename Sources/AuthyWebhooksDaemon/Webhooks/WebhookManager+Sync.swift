import AuthyAPI
import AuthyWebhooksConfig
import ControlProtocol
import EventStore
import Foundation

extension WebhookManager {
    /// `authyctl webhooks sync`: pull Authy's list into the registry, then bring Authy in line with the
    /// configuration's desired webhooks (`[Webhook]` sections with `URL=`).
    func sync(_ request: SyncRequest) async throws -> SyncResponse {
        let client = try client()
        let remote = try await authy { () async throws(AuthyAPIError) in try await client.list() }
        let configuration = state.configuration
        let local = try await state.store.webhooks().filter { $0.source != .config }
        let declaredNames = Set(configuration.webhooks.map(\.name))
        let desired = configuration.webhooks.filter { $0.url != nil }
        var entries: [SyncEntry] = []
        let now = Date()
        let dryRun = request.dryRun

        // 1. Pull: the registry mirrors Authy.
        for webhook in remote {
            let registered = RegisteredWebhook(
                id: webhook.id, name: webhook.name, url: webhook.url, events: webhook.events, signingKey: webhook.signingKey,
                source: local.first { $0.id == webhook.id }?.source ?? .authy, createdAt: now, lastSyncedAt: now)
            if local.contains(where: { $0.id == webhook.id }) {
                if !dryRun { try await record([.upsert(registered)], "webhook \(webhook.name) (\(webhook.id)) refreshed from Authy", webhook: webhook.name) }
            } else {
                if !dryRun { try await record([.upsert(registered)], "webhook \(webhook.name) (\(webhook.id)) added from Authy", webhook: webhook.name) }
                entries.append(SyncEntry(name: webhook.name, id: webhook.id, action: .added, detail: "found at Authy, added to the registry"))
            }
        }
        for webhook in local where !remote.contains(where: { $0.id == webhook.id }) {
            if !dryRun { try await record([.remove(id: webhook.id)], "webhook \(webhook.name) (\(webhook.id)) no longer at Authy; removed locally", webhook: webhook.name) }
            entries.append(SyncEntry(name: webhook.name, id: webhook.id, action: .removedLocally, detail: "no longer at Authy"))
        }

        // 2. Desired state from the configuration.
        for wanted in desired {
            guard let url = wanted.url else { continue }
            let wantedEvents = Array(Set(wanted.events)).sorted()
            let existing = remote.filter { $0.name == wanted.name }
            guard let current = existing.first else {
                if dryRun {
                    entries.append(SyncEntry(name: wanted.name, id: nil, action: .created, detail: "would be created (dry run)"))
                } else {
                    let created = try await createAtAuthy(client, name: wanted.name, url: url, events: wantedEvents)
                    entries.append(SyncEntry(name: wanted.name, id: created.id, action: .created, detail: "created at Authy"))
                }
                continue
            }
            let currentEvents = Array(Set(current.events)).sorted()
            guard current.url != url || currentEvents != wantedEvents else {
                upgrade(&entries, SyncEntry(name: wanted.name, id: current.id, action: .unchanged, detail: "matches the configuration"))
                continue
            }
            let detail = Self.describeDrift(url: (current.url, url), events: (currentEvents, wantedEvents))
            guard request.recreate else {
                upgrade(&entries, SyncEntry(name: wanted.name, id: current.id, action: .drift, detail: detail + "; --recreate replaces it (new signing key)"))
                continue
            }
            if dryRun {
                upgrade(&entries, SyncEntry(name: wanted.name, id: current.id, action: .recreated, detail: detail + "; would be recreated (dry run)"))
                continue
            }
            // Already gone (404) is fine: creating it again is all that is left to do.
            _ = try await deleteAtAuthy(client, id: current.id)
            try await record([.remove(id: current.id)], "webhook \(current.name) (\(current.id)) deleted at Authy to be recreated", webhook: current.name)
            let created = try await createAtAuthy(client, name: wanted.name, url: url, events: wantedEvents)
            upgrade(&entries, SyncEntry(name: wanted.name, id: created.id, action: .recreated, detail: detail + "; recreated (old key verifies for RetiredKeyGrace)"))
        }

        // 3. Webhooks at Authy that no [Webhook] section names: deleted only with --prune.
        for webhook in remote where !declaredNames.contains(webhook.name) {
            guard request.prune else {
                if !entries.contains(where: { $0.id == webhook.id }) {
                    entries.append(SyncEntry(name: webhook.name, id: webhook.id, action: .unchanged, detail: "not in the configuration; --prune would delete it"))
                }
                continue
            }
            if !dryRun {
                // Gone meanwhile (404) is fine: the local removal below is all that is needed.
                _ = try await deleteAtAuthy(client, id: webhook.id)
                try await record([.remove(id: webhook.id)], "webhook \(webhook.name) (\(webhook.id)) pruned: not in the configuration", webhook: webhook.name)
            }
            upgrade(&entries, SyncEntry(name: webhook.name, id: webhook.id, action: .deleted, detail: dryRun ? "not in the configuration; would be deleted (dry run)" : "not in the configuration; deleted at Authy"))
        }
        return SyncResponse(dryRun: dryRun, entries: entries)
    }

    private func createAtAuthy(_ client: AuthyWebhooksClient, name: String, url: String, events: [String]) async throws -> AuthyWebhook {
        // The configuration is the operator's own statement, so names outside the known 23 are allowed here.
        let created = try await authy { () async throws(AuthyAPIError) in
            try await client.create(name: name, url: url, events: events, allowUnknownEvents: true)
        }
        let now = Date()
        try await record(
            [.upsert(RegisteredWebhook(id: created.id, name: created.name, url: created.url, events: created.events, signingKey: created.signingKey, source: .authy, createdAt: now, lastSyncedAt: now))],
            "webhook \(created.name) (\(created.id)) created at Authy from the configuration", webhook: created.name)
        return created
    }

    /// One line per webhook: a later, more significant outcome replaces an earlier one for the same webhook
    /// ("added" stays when the configuration merely agrees with what was just pulled).
    private func upgrade(_ entries: inout [SyncEntry], _ entry: SyncEntry) {
        if let index = entries.firstIndex(where: { $0.name == entry.name && ($0.id == entry.id || $0.id == nil) }) {
            if entries[index].action == .added, entry.action == .unchanged { return }
            entries[index] = entry
        } else {
            entries.append(entry)
        }
    }

    static func describeDrift(url: (String, String), events: ([String], [String])) -> String {
        var parts: [String] = []
        if url.0 != url.1 { parts.append("url is \(url.0), configuration says \(url.1)") }
        let added = events.1.filter { !events.0.contains($0) }
        let removed = events.0.filter { !events.1.contains($0) }
        if !added.isEmpty || !removed.isEmpty {
            parts.append("events differ: " + (added.map { "+" + $0 } + removed.map { "-" + $0 }).joined(separator: " "))
        }
        return parts.joined(separator: "; ")
    }
}

import ArgumentParser
import ControlProtocol
import Foundation

/// `authyctl webhooks …`
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Manage the account's webhooks (through the daemon, which signs every Authy API call).",
        discussion: """
            The daemon keeps a local registry of the webhooks whose deliveries it verifies. `list` shows it, \
            `create`/`delete` change Authy and the registry together, and `sync` brings both in line with the \
            [Webhook] sections of the configuration. The daemon needs the [Authy] credentials for all but `list`.
            """,
        subcommands: [WebhooksListCommand.self, WebhooksCreateCommand.self, WebhooksDeleteCommand.self, WebhooksSyncCommand.self])
}

/// `authyctl webhooks list`
struct WebhooksListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the registry (or, with --remote, Authy's live list).")

    @Flag(help: "Ask Authy instead of the local registry.")
    var remote = false
    @Flag(help: "Show signing keys instead of masking them.")
    var showSigningKeys = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        var query: [String] = []
        if remote { query.append("remote=1") }
        if showSigningKeys { query.append("show_signing_keys=1") }
        let path = ControlAPI.webhooksPath + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let list = try await global.withClient { client in
            try await client.call(.GET, path, as: WebhookListResponse.self)
        }
        switch global.format {
        case .json:
            Terminal.print(String(decoding: try ControlJSON.encoder(pretty: true).encode(list.webhooks), as: UTF8.self))
        case .jsonl:
            for webhook in list.webhooks {
                Terminal.print(String(decoding: try ControlJSON.encoder().encode(webhook), as: UTF8.self))
            }
        case .table:
            guard !list.webhooks.isEmpty else {
                Terminal.note(remote ? "-- Authy lists no webhooks --" : "-- the registry is empty: add [Webhook] sections, or run `authyctl webhooks sync` --")
                return
            }
            var rows = [["NAME", "ID", "URL", "EVENTS", "SOURCE", "SYNCED", "SIGNING KEY"]]
            for webhook in list.webhooks {
                rows.append([
                    webhook.name, webhook.id, webhook.url ?? "-", webhook.events.isEmpty ? "-" : webhook.events.joined(separator: ","),
                    webhook.source, webhook.lastSyncedAt.map(Formatting.localTime) ?? "-", webhook.signingKey ?? "-",
                ])
            }
            let table = Table.fitted(rows)
            for row in rows { Terminal.print(table.row(row)) }
        }
    }
}

/// `authyctl webhooks create`
struct WebhooksCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a webhook at Authy and register its signing key (deliveries verify at once).",
        discussion: """
            Event names are Authy's (user_added, phone_verification_started, token_verified, ...): the daemon \
            refuses a name outside the 23 Authy documents, listing them, unless --allow-unknown-event is given.
            """)

    @Option(help: ArgumentHelp("A name for the webhook.", valueName: "name"))
    var name: String
    @Option(help: ArgumentHelp("Where Authy will POST (this daemon's public URL and delivery path).", valueName: "url"))
    var url: String
    @Option(name: .customLong("event"), help: ArgumentHelp("An event to subscribe to (repeatable).", valueName: "name"))
    var events: [String] = []
    @Flag(help: "Allow event names outside the 23 Authy documents.")
    var allowUnknownEvent = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if events.isEmpty { throw ValidationError("give at least one --event (e.g. --event user_added)") }
    }

    func run() async throws {
        let created = try await global.withClient { client in
            try await client.call(.POST, ControlAPI.webhooksPath, body: CreateWebhookRequest(name: name, url: url, events: events, allowUnknownEvents: allowUnknownEvent), as: WebhookRecord.self)
        }
        switch global.format {
        case .json, .jsonl:
            Terminal.print(String(decoding: try ControlJSON.encoder(pretty: global.format == .json).encode(created), as: UTF8.self))
        case .table:
            Terminal.print("created webhook \(created.name) (\(created.id)) for \(created.url ?? url): \(created.events.joined(separator: ", "))")
            Terminal.print("its signing key is registered; `authyctl webhooks list --show-signing-keys` shows it")
        }
    }
}

/// `authyctl webhooks delete`
struct WebhooksDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a webhook at Authy, then from the registry.")

    @Argument(help: ArgumentHelp("The webhook's WH_ id or its name.", valueName: "id-or-name"))
    var idOrName: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let deleted = try await global.withClient { client in
            try await client.call(.DELETE, ControlAPI.webhookPath(idOrName: idOrName), as: DeleteWebhookResponse.self)
        }
        switch global.format {
        case .json, .jsonl:
            Terminal.print(String(decoding: try ControlJSON.encoder(pretty: global.format == .json).encode(deleted), as: UTF8.self))
        case .table:
            Terminal.print("deleted webhook \(deleted.name) (\(deleted.id))" + (deleted.note.map { ": \($0)" } ?? ""))
        }
    }
}

/// `authyctl webhooks sync`
struct WebhooksSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Pull Authy's webhooks into the registry and create the ones the configuration declares.",
        discussion: """
            One line per webhook: unchanged, added (found at Authy), created (declared with URL= and missing), \
            drift (URL or events differ), recreated (--recreate; Authy has no update, so it gets a new signing key \
            and the old one keeps verifying for [Receiver] RetiredKeyGrace=), deleted (--prune: at Authy but \
            named by no [Webhook] section), removed-locally (gone from Authy).
            """)

    @Flag(help: "Show the plan; change nothing anywhere.")
    var dryRun = false
    @Flag(help: "Delete webhooks at Authy that no [Webhook] section names.")
    var prune = false
    @Flag(help: "Replace webhooks whose URL or events drifted (new signing key).")
    var recreate = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let result = try await global.withClient { client in
            try await client.call(.POST, ControlAPI.syncPath, body: SyncRequest(dryRun: dryRun, prune: prune, recreate: recreate), as: SyncResponse.self, timeout: .seconds(600))
        }
        switch global.format {
        case .json:
            Terminal.print(String(decoding: try ControlJSON.encoder(pretty: true).encode(result), as: UTF8.self))
        case .jsonl:
            for entry in result.entries {
                Terminal.print(String(decoding: try ControlJSON.encoder().encode(entry), as: UTF8.self))
            }
        case .table:
            var rows = [["NAME", "ID", "ACTION", "DETAIL"]]
            rows += result.entries.map { [$0.name, $0.id ?? "-", $0.action.rawValue, $0.detail] }
            let table = Table.fitted(rows)
            for row in rows { Terminal.print(table.row(row)) }
            if result.entries.isEmpty { Terminal.note("-- nothing at Authy and nothing declared --") }
            if result.dryRun { Terminal.note("dry run: nothing was changed") }
        }
    }
}

import ArgumentParser
import ControlProtocol
import Foundation

/// `authyctl events …`
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List, follow, show, export, simulate and prune stored events.",
        subcommands: [EventsListCommand.self, EventsShowCommand.self, EventsExportCommand.self, EventsSimulateCommand.self, EventsPruneCommand.self],
        defaultSubcommand: EventsListCommand.self)
}

/// Filters shared by `events`, `events list` and `events export`.
struct EventFilterOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Events received at or after T (e.g. -1h, '2 days ago', today, 2026-11-29 10:00, RFC 3339).", valueName: "T"))
    var since: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Events received before T (same forms as --since).", valueName: "T"))
    var until: String?

    @Option(name: .customLong("type"), help: ArgumentHelp("Only this event type (repeatable; 'unknown' = unreadable payloads).", valueName: "name"))
    var types: [String] = []

    @Option(help: ArgumentHelp("Only events delivered to this webhook (name or WH_ id).", valueName: "name-or-id"))
    var webhook: String?

    func request(limit: Int, reverse: Bool = false, follow: Bool = false) throws -> EventListRequest {
        let since = try parseTime(since, option: "--since")
        let until = try parseTime(until, option: "--until")
        if let since, let until, until <= since {
            throw ValidationError("--until must be later than --since")
        }
        return EventListRequest(since: since, until: until, types: types, webhook: webhook, limit: limit, reverse: reverse, follow: follow)
    }
}

/// `authyctl events [list]`
struct EventsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show stored events (the newest --limit matches, oldest first, like journalctl -n).",
        discussion: """
            Times (--since/--until) take journalctl's forms:
            \(TimeExpression.indentedAcceptedForms)

            --limit 0 prints every match, streamed in constant memory. --follow keeps printing events as they \
            are stored, after the last --limit matches, until interrupted (Ctrl-C).
            """)

    @OptionGroup var filters: EventFilterOptions
    @Option(help: ArgumentHelp("Keep the newest N matches; 0 = all.", valueName: "N"))
    var limit: Int = EventListRequest.defaultLimit
    @Flag(help: "Newest first.")
    var reverse = false
    @Flag(name: [.customShort("f"), .long], help: "Keep printing events as they arrive.")
    var follow = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if limit < 0 { throw ValidationError("--limit must be 0 (all) or a positive number") }
        if follow, reverse { throw ValidationError("--follow prints events in arrival order; it cannot be combined with --reverse") }
        if follow, global.output == .json { throw ValidationError("--follow streams: use --output jsonl or table") }
    }

    func run() async throws {
        let request = try validatingArguments(of: "authyctl events list") { try filters.request(limit: limit, reverse: reverse, follow: follow) }
        try await global.withClient { client in
            let response = try await client.send(.GET, request.path, timeout: follow ? nil : .seconds(600))
            var printer = EventPrinter(format: global.format)
            for try await chunk in response.body {
                printer.consume(chunk)
            }
            printer.finish()
        }
    }
}

/// `authyctl events export`
struct EventsExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write every matching event as JSON lines, oldest first, streamed (e.g. > events.jsonl).")

    @OptionGroup var filters: EventFilterOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let request = try validatingArguments(of: "authyctl events export") { try filters.request(limit: 0) }
        try await global.withClient { client in
            let response = try await client.send(.GET, request.path, timeout: nil)
            var printer = EventPrinter(format: .jsonl)
            for try await chunk in response.body {
                printer.consume(chunk)
            }
            printer.finish()
        }
    }
}

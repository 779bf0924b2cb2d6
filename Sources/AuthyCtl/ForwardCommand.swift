import ArgumentParser
import ControlProtocol
import Foundation

/// `authyctl forward …`
struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "See and steer how stored events are handed on to the [Forward] targets.",
        discussion: """
            Every event the daemon stores is owed, in the same transaction, to each [Forward] target whose Events= \
            and Webhooks= match it, and attempted until the target takes it (HTTP 2xx, exit status 0), refuses it \
            for good (HTTP 410, exit status 65) or the last attempt of RetrySchedule= fails (the event is then dead \
            for that target). `status` and `events` need read access; `pause`, `resume`, `retry`, `replay` and \
            `drop` need admin rights ([Control] AdminGroup=).
            """,
        subcommands: [
            ForwardStatusCommand.self, ForwardEventsCommand.self, ForwardPauseCommand.self, ForwardResumeCommand.self,
            ForwardRetryCommand.self, ForwardReplayCommand.self, ForwardDropCommand.self,
        ])
}

/// `authyctl forward status [NAME]`
struct ForwardStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show each target's state and backlog (pending, retrying, in flight, dead, delivered).")

    @Argument(help: ArgumentHelp("Only this target.", valueName: "name"))
    var name: String?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let path = name.map { ControlAPI.forwardPath(target: $0) } ?? ControlAPI.forwardPath
        let response = try await global.withClient { client in try await client.call(.GET, path, as: ForwardStatusResponse.self) }
        switch global.format {
        case .json:
            Terminal.print(String(decoding: try ControlJSON.encoder(pretty: true).encode(response.targets), as: UTF8.self))
        case .jsonl:
            for target in response.targets { Terminal.print(String(decoding: try ControlJSON.encoder().encode(target), as: UTF8.self)) }
        case .table:
            guard !response.targets.isEmpty else {
                Terminal.note("-- no forward targets: add a [Forward] section to the configuration and reload --")
                return
            }
            var rows = [["NAME", "KIND", "STATE", "PENDING", "RETRYING", "IN FLIGHT", "DEAD", "DELIVERED", "OLDEST UNDELIVERED", "LAST ERROR"]]
            for target in response.targets {
                rows.append([
                    target.name, target.kind, target.state, String(target.pending), String(target.retrying), String(target.inFlight),
                    String(target.dead), String(target.delivered), target.oldestUndeliveredAt.map(Formatting.localTime) ?? "-",
                    target.lastError ?? "-",
                ])
            }
            let table = Table.fitted(rows)
            for row in rows { Terminal.print(table.row(row)) }
        }
    }
}

/// `authyctl forward events NAME [--state S] [--limit N]`
struct ForwardEventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "List the events owed to one target, newest first, with their state.")

    @Argument(help: ArgumentHelp("The target's Name=.", valueName: "name"))
    var name: String
    @Option(help: ArgumentHelp("Only events in this state: pending, retrying, in_flight, dead or delivered.", valueName: "state"))
    var state: String?
    @Option(help: ArgumentHelp("At most this many (1 to 100000).", valueName: "n"))
    var limit = 100
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let state, !["pending", "retrying", "in_flight", "dead", "delivered"].contains(state) {
            throw ValidationError("--state: expected pending, retrying, in_flight, dead or delivered")
        }
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit: expected 1 to 100000") }
    }

    func run() async throws {
        var path = ControlAPI.forwardPath(target: name, action: "events") + "?limit=\(limit)"
        if let state { path += "&state=\(state)" }
        let response = try await global.withClient { client in try await client.call(.GET, path, as: ForwardEventsResponse.self) }
        switch global.format {
        case .json:
            Terminal.print(String(decoding: try ControlJSON.encoder(pretty: true).encode(response.events), as: UTF8.self))
        case .jsonl:
            for event in response.events { Terminal.print(String(decoding: try ControlJSON.encoder().encode(event), as: UTF8.self)) }
        case .table:
            guard !response.events.isEmpty else {
                Terminal.note("-- no events\(state.map { " in state \($0)" } ?? "") for \(name) --")
                return
            }
            var rows = [["EVENT", "TYPE", "RECEIVED", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR"]]
            for event in response.events {
                rows.append([
                    String(event.eventID), event.type, Formatting.localTime(event.receivedAt), event.state, String(event.attempts),
                    event.nextAttemptAt.map(Formatting.localTime) ?? "-", event.lastError ?? "-",
                ])
            }
            let table = Table.fitted(rows)
            for row in rows { Terminal.print(table.row(row)) }
        }
    }
}

/// `authyctl forward pause NAME`
struct ForwardPauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Stop attempts to one target; events keep queueing for it. Persisted across restarts.")

    @Argument(help: ArgumentHelp("The target's Name=.", valueName: "name"))
    var name: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await ForwardAction.post(global, target: name, action: "pause", body: Optional<Int>.none, done: { _ in "paused \(name)" })
    }
}

/// `authyctl forward resume NAME`
struct ForwardResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume attempts to a paused target.")

    @Argument(help: ArgumentHelp("The target's Name=.", valueName: "name"))
    var name: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await ForwardAction.post(global, target: name, action: "resume", body: Optional<Int>.none, done: { _ in "resumed \(name)" })
    }
}

/// `authyctl forward retry NAME [--event ID]...`
struct ForwardRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Make dead (and waiting) events of a target due now, with a fresh RetrySchedule=.")

    @Argument(help: ArgumentHelp("The target's Name=.", valueName: "name"))
    var name: String
    @Option(name: .customLong("event"), help: ArgumentHelp("Only this event (repeatable); default every dead or waiting one.", valueName: "id"))
    var events: [Int64] = []
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await ForwardAction.post(global, target: name, action: "retry", body: ForwardRetryRequest(eventIDs: events),
                                     done: { "\($0.count) event(s) of \(name) due now" })
    }
}

/// `authyctl forward replay NAME --since T [--until T] [--type X]... [--webhook W] [--dry-run]`
struct ForwardReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Queue stored events for a target again, even if delivered or older than the target.",
        discussion: "Each replayed event keeps its webhook-id, so a handler that deduplicates on it sees a repeat, not a new event.")

    @Argument(help: ArgumentHelp("The target's Name=.", valueName: "name"))
    var name: String
    @Option(parsing: .unconditional, help: ArgumentHelp("Events received at or after this time (\"-1h\", \"yesterday\", \"2026-11-01 12:00\").", valueName: "time"))
    var since: String
    @Option(parsing: .unconditional, help: ArgumentHelp("Events received before this time.", valueName: "time"))
    var until: String?
    @Option(name: .customLong("type"), help: ArgumentHelp("Only this event type (repeatable; `unknown` for untyped).", valueName: "type"))
    var types: [String] = []
    @Option(help: ArgumentHelp("Only events verified by this webhook.", valueName: "name"))
    var webhook: String?
    @Flag(help: "Only count what would be queued.")
    var dryRun = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (sinceDate, untilDate) = try validatingArguments(of: "authyctl forward replay") {
            (try parseTime(since, option: "--since")!, try parseTime(until, option: "--until"))
        }
        let body = ForwardReplayRequest(since: sinceDate, until: untilDate, types: types, webhook: webhook, dryRun: dryRun)
        try await ForwardAction.post(global, target: name, action: "replay", body: body, done: { response in
            response.dryRun ? "\(response.count) event(s) would be queued for \(name) (dry run)" : "\(response.count) event(s) queued for \(name)"
        })
    }
}

/// `authyctl forward drop NAME`
struct ForwardDropCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drop",
        abstract: "Forget a target removed from the configuration, and every event it was still owed.")

    @Argument(help: ArgumentHelp("The removed target's Name=.", valueName: "name"))
    var name: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let response = try await global.withClient { client in
            try await client.call(.DELETE, ControlAPI.forwardPath(target: name), as: ForwardActionResponse.self)
        }
        try ForwardAction.print(response, global: global, done: "dropped \(name) and \(response.count) event(s) it was owed")
    }
}

/// The shared shape of the forward actions: a POST, then a one-line answer (or the JSON object).
enum ForwardAction {
    static func post(_ global: GlobalOptions, target: String, action: String, body: (some Encodable)?,
                     done: (ForwardActionResponse) -> String) async throws {
        let response = try await global.withClient { client in
            try await client.call(.POST, ControlAPI.forwardPath(target: target, action: action), body: body ?? nil, as: ForwardActionResponse.self)
        }
        try print(response, global: global, done: done(response))
    }

    static func print(_ response: ForwardActionResponse, global: GlobalOptions, done: String) throws {
        switch global.format {
        case .json, .jsonl: Terminal.print(String(decoding: try ControlJSON.encoder().encode(response), as: UTF8.self))
        case .table: Terminal.print(done)
        }
    }
}

/// How targets and attempts read in `authyctl status` and `authyctl events show`.
enum ForwardSummary {
    static func line(_ target: ForwardTargetStatus) -> String {
        var text = "\(target.state) (\(target.kind)): \(target.pending) pending, \(target.retrying) retrying, "
            + "\(target.inFlight) in flight, \(target.dead) dead, \(target.delivered) delivered"
        if let oldest = target.oldestUndeliveredAt { text += "; oldest undelivered \(Formatting.localTime(oldest))" }
        return text
    }

    static func printAttempts(_ states: [ForwardEventState]) {
        for state in states {
            Terminal.print("")
            let next = state.nextAttemptAt.map { ", next attempt \(Formatting.localTime($0))" } ?? ""
            Terminal.print("Forward \(state.target): \(state.state)\(next)")
            for attempt in state.attempts {
                var outcome = attempt.httpStatus.map { "HTTP \($0)" } ?? attempt.exitStatus.map { "exit \($0)" }
                    ?? attempt.signal.map { "signal \($0)" } ?? "-"
                if let error = attempt.error { outcome += ", \(error)" }
                Terminal.print("  #\(attempt.attempt) \(Formatting.localTime(attempt.startedAt)) \(String(format: "%.1f", attempt.durationMs)) ms \(attempt.result): \(outcome)")
                if let output = attempt.output {
                    for line in output.split(separator: "\n", omittingEmptySubsequences: false).suffix(10) {
                        Terminal.print("      | \(line)")
                    }
                }
            }
        }
    }
}

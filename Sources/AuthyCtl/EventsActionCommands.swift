import ArgumentParser
import ControlProtocol
import Foundation

/// `authyctl events show ID [--raw]`
struct EventsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one event and the delivery that brought it.",
        discussion: "--raw also prints the original token and its decoded JWT header and claims, exactly as received.")

    @Argument(help: ArgumentHelp("The event's id (first column of `authyctl events`).", valueName: "id"))
    var id: Int64
    @Flag(help: "Print the original token and its decoded header and claims.")
    var raw = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let path = ControlAPI.eventPath(id: id) + (raw ? "?raw=1" : "")
        let detail = try await global.withClient { client in
            try await client.call(.GET, path, as: EventDetail.self)
        }
        switch global.format {
        case .json, .jsonl:
            // The event object is spliced in as received, so its payload keeps its bytes.
            var object = "{\"event\":" + detail.event + ",\"delivery\":"
            object += String(decoding: try ControlJSON.encoder().encode(detail.delivery), as: UTF8.self)
            if let raw = detail.raw {
                // The header and claims as JSON values, so that `jq .raw.claims.url` reaches into them; the token
                // keeps the exact signed bytes.
                object += ",\"raw\":{\"token\":" + JSONText.quoted(raw.token) + ",\"header\":" + Self.jsonValue(raw.header)
                object += ",\"claims\":" + Self.jsonValue(raw.claims) + "}"
            }
            if let forwarding = detail.forwarding {
                object += ",\"forwarding\":" + String(decoding: try ControlJSON.encoder().encode(forwarding), as: UTF8.self)
            }
            Terminal.print(object + "}")
        case .table:
            let event = try ControlJSON.decoder().decode(EventRecord.self, from: Data(detail.event.utf8))
            let lines: [(String, String)] = [
                ("Event", String(event.id)),
                ("Type", event.type),
                ("Received", "\(Formatting.localTime(event.receivedAt)) (\(Timestamp.rfc3339(event.receivedAt)))"),
                ("Occurred", event.occurredAt ?? "-"),
                ("Request id", event.requestID ?? "-"),
                ("Webhook", event.webhook + (detail.delivery.webhookID.map { " (\($0))" } ?? "")),
                ("Delivery", "\(detail.delivery.id), \(detail.delivery.eventCount) event(s), from \(detail.delivery.remoteAddress ?? "unknown")"),
            ]
            for (key, value) in lines {
                Terminal.print((key + ":").padding(toLength: 12, withPad: " ", startingAt: 0) + value)
            }
            Terminal.print("Payload:    " + (Self.payload(of: detail.event) ?? "-"))
            ForwardSummary.printAttempts(detail.forwarding ?? [])
            if let raw = detail.raw {
                Terminal.print("")
                Terminal.print("Token:      " + raw.token)
                Terminal.print("Header:     " + raw.header)
                Terminal.print("Claims:     " + raw.claims)
            }
        }
    }

    /// `text` itself when it is one JSON value (spliced byte for byte), else `text` as a JSON string: claims that
    /// verified but are not JSON are shown, not dropped.
    static func jsonValue(_ text: String) -> String {
        let parses = (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
        return parses && !text.isEmpty ? text : JSONText.quoted(text)
    }

    /// The payload's text as received: the event object ends with `"payload":<payload>}`.
    static func payload(of eventJSON: String) -> String? {
        guard let range = eventJSON.range(of: ",\"payload\":") else { return nil }
        return String(eventJSON[range.upperBound...].dropLast())
    }
}

/// `authyctl events simulate TYPE [--webhook NAME]`
struct EventsSimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Have the daemon sign a delivery with a webhook's key and POST it to its own receiver.",
        discussion: """
            The whole path runs (envelope, HS256 verification, durable commit), so the event then shows in \
            `authyctl events`. No Authy account is needed: any webhook with a SigningKey= works.
            """)

    @Argument(help: ArgumentHelp("Event type, e.g. user_added or phone_verification_started.", valueName: "type"))
    var type: String
    @Option(help: ArgumentHelp("Webhook whose key signs it (name or id); needed when several have keys.", valueName: "name"))
    var webhook: String?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let answer = try await global.withClient { client in
            try await client.call(.POST, ControlAPI.simulatePath, body: SimulateRequest(type: type, webhook: webhook), as: SimulateResponse.self)
        }
        switch global.format {
        case .json, .jsonl:
            Terminal.print(String(decoding: try ControlJSON.encoder(pretty: global.format == .json).encode(answer), as: UTF8.self))
        case .table:
            Terminal.print("simulated \(type) signed with webhook \(answer.webhook)'s key, POSTed to \(answer.url): \(answer.status), delivery \(answer.deliveryID.map(String.init) ?? "-") stored with \(answer.events ?? 0) event(s)")
        }
    }
}

/// `authyctl events prune --before T [--dry-run]`
struct EventsPruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete events (and their deliveries) received before a time, and give the space back.")

    @Option(parsing: .unconditional, help: ArgumentHelp("Delete what was received before T (e.g. '90 days ago', 2026-01-01).", valueName: "T"))
    var before: String
    @Flag(help: "Only count what would be deleted.")
    var dryRun = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        guard let cutoff = try validatingArguments(of: "authyctl events prune", { try parseTime(before, option: "--before") }) else { return }
        let result = try await global.withClient { client in
            try await client.call(.POST, ControlAPI.prunePath, body: PruneRequest(before: cutoff, dryRun: dryRun), as: PruneResponse.self, timeout: nil)
        }
        switch global.format {
        case .json, .jsonl:
            Terminal.print(String(decoding: try ControlJSON.encoder(pretty: global.format == .json).encode(result), as: UTF8.self))
        case .table:
            Terminal.print("\(result.dryRun ? "would delete" : "deleted") \(result.events) event(s) in \(result.deliveries) delivery(ies) received before \(Formatting.localTime(cutoff))")
        }
    }
}

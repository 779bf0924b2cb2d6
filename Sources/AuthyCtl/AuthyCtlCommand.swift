import ArgumentParser
import ControlProtocol
import Foundation

/// `authyctl`: the command-line client of authy-webhooksd.
public struct AuthyCtlCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "authyctl",
        abstract: "Read the Authy webhook events authy-webhooksd stored, steer their forwarding, and manage the account's webhooks.",
        discussion: """
            authyctl talks to the daemon over its control socket (--socket, $AUTHYCTL_SOCKET, or \
            \(ControlAPI.defaultSocketPath)); root and members of the socket's group may read, root and members \
            of [Control] AdminGroup= may also change things (simulate, prune, forward pause/resume/retry/replay/drop, \
            webhooks create/delete/sync).

            Examples:
              authyctl status
              authyctl events --since -1h --type user_added
              authyctl events --follow
              authyctl events show 42 --raw
              authyctl events export --since yesterday > events.jsonl
              authyctl events simulate phone_verification_started
              authyctl forward status
              authyctl forward retry my-handler
              authyctl webhooks sync --dry-run

            Exit status: 0 success, 1 the daemon refused or failed, 64 bad arguments, 69 the daemon cannot be \
            reached, 74 the output could not be written (a full disk), 77 permission denied. A reader that \
            closes the pipe early (authyctl events | head) ends authyctl by SIGPIPE, as it ends cat.
            """,
        version: "authyctl \(ControlProtocolVersion.string)",
        subcommands: [StatusCommand.self, EventsCommand.self, WebhooksCommand.self, ForwardCommand.self])

    public init() {}

    /// The executable's entry point. (Calling `main()` from top-level code picks ArgumentParser's synchronous
    /// overload, which refuses an async root command; inside an async function the async one is chosen.)
    public static func start() async {
        await main(nil)
    }
}

/// `authyctl status`
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the daemon's version, uptime, database and its durability, counts and listeners.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let status = try await global.withClient { client in
            try await client.call(.GET, ControlAPI.statusPath, as: StatusResponse.self)
        }
        switch global.format {
        case .json, .jsonl:
            Terminal.write(String(decoding: try ControlJSON.encoder(pretty: global.format == .json).encode(status), as: UTF8.self) + "\n")
        case .table:
            let rows: [(String, String)] = [
                ("Version", status.version),
                ("Up since", "\(Formatting.localTime(status.startedAt)) (\(Formatting.duration(status.uptimeSeconds)))"),
                ("Database", "\(status.databasePath) (\(Formatting.bytes(status.databaseSizeBytes)))"),
                ("Durability", Formatting.durability(status.durability)),
                ("Deliveries", String(status.deliveries)),
                ("Events", String(status.events)),
                ("Last event", status.lastEventAt.map(Formatting.localTime) ?? "none yet"),
                ("Receiving on", status.listeners.map { "http://\($0)\(status.deliveryPath)" }.joined(separator: ", ")),
                ("Control socket", status.controlSocket),
                ("Webhooks", status.webhooks.isEmpty ? "none with a signing key" : status.webhooks.joined(separator: ", ")),
                ("Authy API", status.missingCredentials.isEmpty ? "credentials configured" : "not configured (missing \(status.missingCredentials.joined(separator: ", ")))"),
            ]
            for (key, value) in rows {
                Terminal.print((key + ":").padding(toLength: 16, withPad: " ", startingAt: 0) + value)
            }
            for target in status.forwarding ?? [] {
                Terminal.print("Forward \(target.name):".padding(toLength: 16, withPad: " ", startingAt: 0) + ForwardSummary.line(target))
            }
        }
    }
}

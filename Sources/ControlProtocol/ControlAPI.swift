import Foundation

/// The control socket's HTTP API: paths (all under a version prefix, as tailscaled does), headers and defaults.
public enum ControlAPI {
    /// Every route lives under this prefix; a breaking change gets a new one.
    public static let versionPrefix = "/v1"
    /// Response header carrying the daemon's version.
    public static let versionHeader = "Authy-Webhooksd-Version"
    /// Where the daemon listens unless `[Control] Socket=` says otherwise.
    public static let defaultSocketPath = "/run/authy-webhooksd/control.sock"
    /// Content type of streamed event lists: one JSON object per line.
    public static let jsonLinesContentType = "application/x-ndjson"

    public static let statusPath = "/v1/status"
    public static let eventsPath = "/v1/events"
    public static let simulatePath = "/v1/events/simulate"
    public static let prunePath = "/v1/events/prune"
    public static let webhooksPath = "/v1/webhooks"
    public static let syncPath = "/v1/webhooks/sync"

    /// How a boolean query parameter (`?follow=1`, `?raw=true`) reads as true.
    public static func isTrue(_ value: String) -> Bool {
        ["1", "true", "yes"].contains(value.lowercased())
    }

    /// `/v1/events/{id}`
    public static func eventPath(id: Int64) -> String { "\(eventsPath)/\(id)" }
    /// `/v1/webhooks/{id or name}`, the name percent-encoded as a path segment.
    public static func webhookPath(idOrName: String) -> String {
        "\(webhooksPath)/\(idOrName.addingPercentEncoding(withAllowedCharacters: .urlPathSegmentAllowed) ?? idOrName)"
    }
}

extension CharacterSet {
    /// Characters allowed unescaped in one path segment (no `/`).
    static let urlPathSegmentAllowed: CharacterSet = {
        var set = CharacterSet.urlPathAllowed
        set.remove(charactersIn: "/")
        return set
    }()
}

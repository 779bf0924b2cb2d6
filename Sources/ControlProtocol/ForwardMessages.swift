import Foundation

extension ControlAPI {
    /// `GET /v1/forward`: every target; `GET /v1/forward/{name}`: one.
    public static let forwardPath = "/v1/forward"

    /// `/v1/forward/{name}` and its actions (`/events`, `/pause`, `/resume`, `/retry`, `/replay`).
    public static func forwardPath(target: String, action: String? = nil) -> String {
        let base = "\(forwardPath)/\(target.addingPercentEncoding(withAllowedCharacters: .urlPathSegmentAllowed) ?? target)"
        return action.map { "\(base)/\($0)" } ?? base
    }
}

/// One forward target as `authyctl forward status` shows it.
public struct ForwardTargetStatus: Codable, Sendable, Equatable {
    public var name: String
    /// `url` or `exec`.
    public var kind: String
    /// `active`, `paused` or `removed` (no longer in the configuration; it keeps what it is owed).
    public var state: String
    public var pending: Int
    public var retrying: Int
    public var inFlight: Int
    public var dead: Int
    public var delivered: Int
    public var oldestUndeliveredAt: Date?
    public var lastDeliveredAt: Date?
    public var lastError: String?

    enum CodingKeys: String, CodingKey {
        case name, kind, state, pending, retrying, dead, delivered
        case inFlight = "in_flight"
        case oldestUndeliveredAt = "oldest_undelivered_at"
        case lastDeliveredAt = "last_delivered_at"
        case lastError = "last_error"
    }

    public init(name: String, kind: String, state: String, pending: Int, retrying: Int, inFlight: Int, dead: Int,
                delivered: Int, oldestUndeliveredAt: Date?, lastDeliveredAt: Date?, lastError: String?) {
        self.name = name
        self.kind = kind
        self.state = state
        self.pending = pending
        self.retrying = retrying
        self.inFlight = inFlight
        self.dead = dead
        self.delivered = delivered
        self.oldestUndeliveredAt = oldestUndeliveredAt
        self.lastDeliveredAt = lastDeliveredAt
        self.lastError = lastError
    }
}

/// `GET /v1/forward`.
public struct ForwardStatusResponse: Codable, Sendable, Equatable {
    public var targets: [ForwardTargetStatus]

    public init(targets: [ForwardTargetStatus]) { self.targets = targets }
}

/// One event owed to a target, as `authyctl forward events` lists it.
public struct ForwardJobMessage: Codable, Sendable, Equatable {
    public var eventID: Int64
    public var type: String
    public var receivedAt: Date
    /// `pending`, `retrying`, `in_flight`, `dead` or `delivered`.
    public var state: String
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var finishedAt: Date?
    public var lastError: String?

    enum CodingKeys: String, CodingKey {
        case type, state, attempts
        case eventID = "event_id"
        case receivedAt = "received_at"
        case nextAttemptAt = "next_attempt_at"
        case finishedAt = "finished_at"
        case lastError = "last_error"
    }

    public init(eventID: Int64, type: String, receivedAt: Date, state: String, attempts: Int, nextAttemptAt: Date?,
                finishedAt: Date?, lastError: String?) {
        self.eventID = eventID
        self.type = type
        self.receivedAt = receivedAt
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.finishedAt = finishedAt
        self.lastError = lastError
    }
}

/// `GET /v1/forward/{name}/events`.
public struct ForwardEventsResponse: Codable, Sendable, Equatable {
    public var target: String
    public var events: [ForwardJobMessage]

    public init(target: String, events: [ForwardJobMessage]) {
        self.target = target
        self.events = events
    }
}

/// `POST /v1/forward/{name}/retry`: dead and waiting events become due now (only these when `eventIDs` is not empty).
public struct ForwardRetryRequest: Codable, Sendable, Equatable {
    public var eventIDs: [Int64]

    enum CodingKeys: String, CodingKey { case eventIDs = "event_ids" }

    public init(eventIDs: [Int64]) { self.eventIDs = eventIDs }
}

/// `POST /v1/forward/{name}/replay`: the matching events are queued again, delivered or not.
public struct ForwardReplayRequest: Codable, Sendable, Equatable {
    public var since: Date
    public var until: Date?
    public var types: [String]
    public var webhook: String?
    public var dryRun: Bool

    enum CodingKeys: String, CodingKey {
        case since, until, types, webhook
        case dryRun = "dry_run"
    }

    public init(since: Date, until: Date?, types: [String], webhook: String?, dryRun: Bool) {
        self.since = since
        self.until = until
        self.types = types
        self.webhook = webhook
        self.dryRun = dryRun
    }
}

/// The answer of pause, resume, retry, replay and drop: the target and how many events the action touched.
public struct ForwardActionResponse: Codable, Sendable, Equatable {
    public var target: String
    public var action: String
    public var count: Int
    public var dryRun: Bool

    enum CodingKeys: String, CodingKey {
        case target, action, count
        case dryRun = "dry_run"
    }

    public init(target: String, action: String, count: Int, dryRun: Bool = false) {
        self.target = target
        self.action = action
        self.count = count
        self.dryRun = dryRun
    }
}

/// One attempt, as `authyctl events show` lists it.
public struct ForwardAttemptMessage: Codable, Sendable, Equatable {
    public var attempt: Int
    public var startedAt: Date
    public var durationMs: Double
    /// `delivered`, `retry`, `dead` or `interrupted`.
    public var result: String
    public var httpStatus: Int?
    public var exitStatus: Int?
    public var signal: Int?
    public var error: String?
    /// The last 4 KiB of the answer's body or of the program's output.
    public var output: String?

    enum CodingKeys: String, CodingKey {
        case attempt, result, signal, error, output
        case startedAt = "started_at"
        case durationMs = "duration_ms"
        case httpStatus = "http_status"
        case exitStatus = "exit_status"
    }

    public init(attempt: Int, startedAt: Date, durationMs: Double, result: String, httpStatus: Int?, exitStatus: Int?,
                signal: Int?, error: String?, output: String?) {
        self.attempt = attempt
        self.startedAt = startedAt
        self.durationMs = durationMs
        self.result = result
        self.httpStatus = httpStatus
        self.exitStatus = exitStatus
        self.signal = signal
        self.error = error
        self.output = output
    }
}

/// Where one event stands with one target.
public struct ForwardEventState: Codable, Sendable, Equatable {
    public var target: String
    public var state: String
    public var nextAttemptAt: Date?
    public var attempts: [ForwardAttemptMessage]

    enum CodingKeys: String, CodingKey {
        case target, state, attempts
        case nextAttemptAt = "next_attempt_at"
    }

    public init(target: String, state: String, nextAttemptAt: Date?, attempts: [ForwardAttemptMessage]) {
        self.target = target
        self.state = state
        self.nextAttemptAt = nextAttemptAt
        self.attempts = attempts
    }
}

/// One `[Forward]` section: a handler of the user's that every stored event matching its filters is handed to,
/// durably and at least once.
///
/// `secret` is a secret: `description`, `debugDescription` and reflection show it as `<masked>`.
public struct ForwardSettings: Sendable, Equatable {
    /// Where a target's attempts go: the one axis along which targets differ.
    public enum Destination: Sendable, Equatable {
        /// `URL=`: each event is POSTed to this `http://` or `https://` URL.
        case url(String)
        /// `Exec=`: this program (absolute path first) runs once per attempt with the event on stdin.
        case exec([String])

        /// `url` or `exec`, as `authyctl forward status` shows it.
        public var kind: String {
            switch self {
            case .url: "url"
            case .exec: "exec"
            }
        }
    }

    /// `Ordering=`.
    public enum Ordering: String, Sendable, CaseIterable {
        /// Attempts run side by side, up to `Concurrency=`.
        case parallel
        /// One attempt at a time, in stored order; a failing event holds back the ones after it.
        case fifo
    }

    /// `Name=`: unique, `[A-Za-z0-9_-]{1,64}`; the same name across restarts is the same target (what it is owed,
    /// whether it is paused).
    public var name: String
    /// `URL=` or `Exec=` (exactly one).
    public var destination: Destination
    /// `Events=`: event types to forward (`unknown` for untyped ones); empty means every event.
    public var events: [String]
    /// `Webhooks=`: names of the webhooks whose deliveries are forwarded; empty means every webhook.
    public var webhooks: [String]
    /// `Secret=` (or the credential `authy-forward-NAME-secret`): a Standard Webhooks `whsec_…` secret; when set,
    /// each HTTP attempt carries `webhook-signature`. Default unset.
    public var secret: String?
    /// `Timeout=`: one attempt's limit. Default 30 s.
    public var timeout: Duration
    /// `Concurrency=`: attempts in flight at once. Default 4 for `URL=`, 1 for `Exec=`; `Ordering=fifo` means 1.
    public var concurrency: Int
    /// `Ordering=`. Default `parallel`.
    public var ordering: Ordering
    /// `RetrySchedule=`: the waits before each retry; N waits allow N + 1 attempts.
    /// Default `5s 5min 30min 2h 5h 10h 14h 20h 24h` (the Standard Webhooks example schedule).
    public var retrySchedule: [Duration]
    /// `file:line` of the section's header.
    public var location: String

    /// The default of `RetrySchedule=`.
    public static let defaultRetrySchedule: [Duration] = [
        .seconds(5), .seconds(300), .seconds(1800), .seconds(7200), .seconds(18000), .seconds(36000),
        .seconds(50400), .seconds(72000), .seconds(86400),
    ]
    /// The default of `Timeout=`.
    public static let defaultTimeout: Duration = .seconds(30)

    /// The credential file that holds this target's secret.
    public var credentialName: String { "authy-forward-\(name)-secret" }

    /// The attempts in flight this target allows: 1 for `fifo`.
    public var effectiveConcurrency: Int { ordering == .fifo ? 1 : concurrency }

    /// Creates a target (tests and callers building a configuration in code).
    public init(name: String, destination: Destination, events: [String] = [], webhooks: [String] = [],
                secret: String? = nil, timeout: Duration = ForwardSettings.defaultTimeout, concurrency: Int? = nil,
                ordering: Ordering = .parallel, retrySchedule: [Duration] = ForwardSettings.defaultRetrySchedule,
                location: String = "") {
        self.name = name
        self.destination = destination
        self.events = events
        self.webhooks = webhooks
        self.secret = secret
        self.timeout = timeout
        self.concurrency = concurrency ?? (destination.kind == "url" ? 4 : 1)
        self.ordering = ordering
        self.retrySchedule = retrySchedule
        self.location = location
    }
}

extension ForwardSettings: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "ForwardSettings(name: \(name), destination: \(destination), events: \(events), webhooks: \(webhooks), "
            + "secret: \(masked(secret)), timeout: \(TimeSpan.format(timeout)), concurrency: \(concurrency), "
            + "ordering: \(ordering.rawValue), location: \(location))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "name": name, "destination": destination, "events": events, "webhooks": webhooks,
            "secret": masked(secret), "timeout": timeout, "concurrency": concurrency, "ordering": ordering,
            "retrySchedule": retrySchedule, "location": location,
        ])
    }
}

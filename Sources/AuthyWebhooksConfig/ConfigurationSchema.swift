/// One known key: its name, whether its value is a secret, whether a reload applies it, and how it changes the
/// configuration being built.
struct KeySpec<Target>: Sendable {
    var name: String
    var isSecret = false
    /// nil when `SIGHUP` applies a new value at once; else the setting the daemon reads only at start (listeners,
    /// decoders, the store), which a reload keeps at its running value until a restart.
    var startOnly: StartOnlySetting? = nil
    var apply: @Sendable (inout Target, Assignment) throws(ConfigurationError) -> Void
}

/// A setting read only at start: how a reload puts its running value back.
struct StartOnlySetting: Sendable {
    /// Copies the running value into `next`, returning whether the file asked for another one.
    let keep: @Sendable (_ next: inout DaemonConfiguration, _ running: DaemonConfiguration) -> Bool

    static func value<Value: Equatable & SendableMetatype>(_ setting: any WritableKeyPath<DaemonConfiguration, Value> & Sendable) -> StartOnlySetting {
        StartOnlySetting { next, running in
            let changed = next[keyPath: setting] != running[keyPath: setting]
            next[keyPath: setting] = running[keyPath: setting]
            return changed
        }
    }
}

/// The configuration while files are being read, with what the final checks need to point at lines.
struct ConfigurationBuilder {
    var configuration: DaemonConfiguration = {
        var start = DaemonConfiguration.default
        start.receiver.listen = []  // Listen= accumulates; the default applies only if the list ends up empty
        return start
    }()
    /// Where each listen address was given, to name both lines of a duplicate.
    var listenOrigins: [ListenAddress: String] = [:]
    /// Webhook names in first-seen order, and their merged sections.
    var webhookOrder: [String] = []
    var webhooks: [String: WebhookDraft] = [:]
    /// Files that assign a non-empty secret, for the world-readable warning.
    var filesWithSecrets: Set<String> = []
}

/// A `[Webhook]` being merged from every section that carries its name.
struct WebhookDraft {
    var settings: WebhookSettings
    /// The last `URL=`/`Events=` lines, to point at when one is given without the other.
    var urlAssignment: Assignment?
    var eventsAssignment: Assignment?
    /// Where the signing key was set, to name both webhooks when two share one key.
    var signingKeyAssignment: Assignment?
}

/// Every section and key, with defaults, ranges and meaning. `etc/authy-webhooksd.conf` documents the same keys; a
/// test checks that it mentions every one.
enum ConfigurationSchema {
    typealias Key = KeySpec<ConfigurationBuilder>

    static let webhookSection = "Webhook"

    static let sections: [(name: String, keys: [Key])] = [
        ("Receiver", receiver), ("Store", store), ("Control", control), ("Authy", authy), ("Log", log),
    ]

    static let receiver: [Key] = [
        Key(name: "Listen", startOnly: .value(\.receiver.listen)) { builder, assignment throws(ConfigurationError) in
            guard !assignment.value.isEmpty else {
                builder.configuration.receiver.listen = []
                builder.listenOrigins = [:]
                return
            }
            let address: ListenAddress
            do throws(ValueFormatError) { address = try ListenAddress.parse(assignment.value) } catch { throw assignment.invalid(error.message) }
            if let earlier = builder.listenOrigins[address] {
                throw .duplicate(assignment.file, assignment.line, "Listen=\(address) is already given at \(earlier)")
            }
            builder.listenOrigins[address] = assignment.location
            builder.configuration.receiver.listen.append(address)
        },
        Key(name: "Path") { builder, assignment throws(ConfigurationError) in
            let path = assignment.value
            guard path.hasPrefix("/"), !path.contains("?"), !path.contains("#"),
                  path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                throw assignment.invalid("expected a URL path starting with /, without spaces, ? or #")
            }
            // GET /healthz is the health check on the same listener.
            guard path != "/healthz" else { throw assignment.invalid("/healthz is reserved for the health check") }
            builder.configuration.receiver.path = path
        },
        Key(name: "PublicURL") { builder, assignment throws(ConfigurationError) in
            builder.configuration.receiver.publicURL =
                assignment.value.isEmpty ? nil : try assignment.httpURL(originOnly: false)
        },
        Key(name: "MaxBodySize") { builder, assignment throws(ConfigurationError) in
            builder.configuration.receiver.maxBodySize = try assignment.byteSize(atLeast: 1 << 10, atMost: 16 << 20)
        },
        Key(name: "MaxHeaderSize", startOnly: .value(\.receiver.maxHeaderSize)) { builder, assignment throws(ConfigurationError) in
            builder.configuration.receiver.maxHeaderSize = try assignment.byteSize(atLeast: 1 << 10, atMost: 1 << 20)
        },
        Key(name: "ReadTimeout") { builder, assignment throws(ConfigurationError) in
            builder.configuration.receiver.readTimeout = try assignment.timeSpan(positive: true)
        },
        Key(name: "IdleTimeout", startOnly: .value(\.receiver.idleTimeout)) { builder, assignment throws(ConfigurationError) in
            builder.configuration.receiver.idleTimeout = try assignment.timeSpan(positive: true)
        },
        Key(name: "MaxConnections", startOnly: .value(\.receiver.maxConnections)) { builder, assignment throws(ConfigurationError) in
            builder.configuration.receiver.maxConnections = try assignment.integer(atLeast: 1, atMost: 1_000_000)
        },
        Key(name: "MaxPendingWrites", startOnly: .value(\.receiver.maxPendingWrites)) { builder, assignment throws(ConfigurationError) in
            builder.configuration.receiver.maxPendingWrites = try assignment.integer(atLeast: 1, atMost: 1_000_000)
        },
        Key(name: "RetiredKeyGrace") { builder, assignment throws(ConfigurationError) in
            builder.configuration.receiver.retiredKeyGrace = try assignment.timeSpan()
        },
    ]

    static let store: [Key] = [
        Key(name: "Database", startOnly: .value(\.store.database)) { builder, assignment throws(ConfigurationError) in
            guard !assignment.value.isEmpty else { throw assignment.invalid("expected the path of the SQLite file") }
            builder.configuration.store.database = assignment.value
        },
        Key(name: "Synchronous", startOnly: .value(\.store.synchronous)) { builder, assignment throws(ConfigurationError) in
            builder.configuration.store.synchronous = try assignment.choice(SynchronousMode.self)
        },
        Key(name: "BusyTimeout", startOnly: .value(\.store.busyTimeout)) { builder, assignment throws(ConfigurationError) in
            // SQLite takes the busy timeout in milliseconds as a 32-bit int; an hour is far beyond any sane wait.
            builder.configuration.store.busyTimeout = try assignment.timeSpan(atMost: .seconds(3600))
        },
        Key(name: "Retention") { builder, assignment throws(ConfigurationError) in
            let span = try assignment.timeSpan()
            builder.configuration.store.retention = span == .zero ? nil : span
        },
    ]

    static let control: [Key] = [
        Key(name: "Socket", startOnly: .value(\.control.socket)) { builder, assignment throws(ConfigurationError) in
            guard !assignment.value.isEmpty else { throw assignment.invalid("expected the path of the socket") }
            // sun_path holds 108 bytes including the terminating NUL.
            guard assignment.value.utf8.count <= 107 else {
                throw assignment.invalid("a Unix socket path can have at most 107 bytes")
            }
            builder.configuration.control.socket = assignment.value
        },
        Key(name: "SocketMode", startOnly: .value(\.control.socketMode)) { builder, assignment throws(ConfigurationError) in
            builder.configuration.control.socketMode = try assignment.octalMode()
        },
        Key(name: "SocketGroup", startOnly: .value(\.control.socketGroup)) { builder, assignment throws(ConfigurationError) in
            builder.configuration.control.socketGroup = try assignment.groupName()
        },
        Key(name: "AdminGroup") { builder, assignment throws(ConfigurationError) in
            builder.configuration.control.adminGroup = try assignment.groupName()
        },
        Key(name: "MaxBodySize") { builder, assignment throws(ConfigurationError) in
            builder.configuration.control.maxBodySize = try assignment.byteSize(atLeast: 1 << 10, atMost: 16 << 20)
        },
        Key(name: "ReadTimeout") { builder, assignment throws(ConfigurationError) in
            builder.configuration.control.readTimeout = try assignment.timeSpan(positive: true)
        },
        Key(name: "MaxHeaderSize", startOnly: .value(\.control.maxHeaderSize)) { builder, assignment throws(ConfigurationError) in
            builder.configuration.control.maxHeaderSize = try assignment.byteSize(atLeast: 1 << 10, atMost: 1 << 20)
        },
        Key(name: "IdleTimeout", startOnly: .value(\.control.idleTimeout)) { builder, assignment throws(ConfigurationError) in
            builder.configuration.control.idleTimeout = try assignment.timeSpan(positive: true)
        },
        Key(name: "MaxConnections", startOnly: .value(\.control.maxConnections)) { builder, assignment throws(ConfigurationError) in
            builder.configuration.control.maxConnections = try assignment.integer(atLeast: 1, atMost: 65536)
        },
    ]

    static let authy: [Key] = [
        Key(name: "APIURL") { builder, assignment throws(ConfigurationError) in
            builder.configuration.authy.apiURL = try assignment.httpURL(originOnly: true)
        },
        Key(name: "AppAPIKey", isSecret: true) { builder, assignment throws(ConfigurationError) in
            builder.configuration.authy.appAPIKey = try assignment.secret()
        },
        Key(name: "AccessKey", isSecret: true) { builder, assignment throws(ConfigurationError) in
            builder.configuration.authy.accessKey = try assignment.secret()
        },
        Key(name: "APISigningKey", isSecret: true) { builder, assignment throws(ConfigurationError) in
            builder.configuration.authy.apiSigningKey = try assignment.secret()
        },
        Key(name: "RequestTimeout") { builder, assignment throws(ConfigurationError) in
            builder.configuration.authy.requestTimeout = try assignment.timeSpan(positive: true)
        },
    ]

    static let log: [Key] = [
        Key(name: "Level") { builder, assignment throws(ConfigurationError) in
            builder.configuration.log.level = try assignment.choice(LogLevelSetting.self)
        },
    ]

    /// `[Webhook]` keys. `Name=` picks the webhook a section belongs to before the others apply (see the parser).
    static let webhookKeys: [KeySpec<WebhookDraft>] = [
        KeySpec(name: "Name") { _, _ throws(ConfigurationError) in },
        KeySpec(name: "SigningKey", isSecret: true) { draft, assignment throws(ConfigurationError) in
            draft.settings.signingKey = try assignment.secret()
            draft.signingKeyAssignment = draft.settings.signingKey == nil ? nil : assignment
        },
        KeySpec(name: "URL") { draft, assignment throws(ConfigurationError) in
            draft.settings.url = assignment.value.isEmpty ? nil : try assignment.httpURL(originOnly: false)
            draft.urlAssignment = assignment
        },
        KeySpec(name: "Events") { draft, assignment throws(ConfigurationError) in
            let names = assignment.value.split(whereSeparator: { $0.isWhitespace }).map(String.init)
            guard !names.isEmpty else {
                draft.settings.events = []
                return
            }
            for name in names {
                // Any plausible name is kept: the list of Authy's event names is not confirmed, and `webhooks create`
                // checks it with an explicit override.
                guard name.count <= 100, name.unicodeScalars.allSatisfy(isEventNameScalar) else {
                    throw assignment.invalid("\"\(name.prefix(100))\" is not an event name (letters, digits, _ . : -)")
                }
                if !draft.settings.events.contains(name) { draft.settings.events.append(name) }
            }
            draft.eventsAssignment = assignment
        },
    ]
}

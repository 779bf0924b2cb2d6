import Foundation

/// The daemon's whole configuration: `/etc/authy-webhooksd.conf` plus its drop-ins and credentials, validated.
///
/// Build one with `load(path:)` (files on disk) or `parse(_:)` (text, for tests and fuzzing); start from
/// `DaemonConfiguration.default` to build one in code.
public struct DaemonConfiguration: Sendable, Equatable {
    /// `[Receiver]`: the HTTP listener for deliveries.
    public var receiver: ReceiverSettings
    /// `[Store]`: the SQLite database.
    public var store: StoreSettings
    /// `[Control]`: the Unix socket for `authyctl`.
    public var control: ControlSettings
    /// `[Authy]`: the Authy API and its credentials.
    public var authy: AuthySettings
    /// `[Log]`: log verbosity.
    public var log: LogSettings
    /// `[Webhook]` sections merged by `Name=`, in the order their names first appeared.
    public var webhooks: [WebhookSettings]
    /// `[Forward]` sections, one per target, in file order.
    public var forwards: [ForwardSettings] = []
    /// The files read, in order: the main file, then its drop-ins.
    public var sourceFiles: [String]
    /// Problems worth telling the operator that do not stop the daemon, such as a world-readable file with secrets.
    public var warnings: [String]

    /// Where the daemon looks without `--config`.
    public static let defaultPath = "/etc/authy-webhooksd.conf"

    /// Every default, no webhooks, no files.
    public static let `default` = DaemonConfiguration(
        receiver: .default,
        store: .default,
        control: .default,
        authy: .default,
        log: .default,
        webhooks: [],
        sourceFiles: [],
        warnings: []
    )

    /// Every section and key the parser knows, in the order of the reference file (for `--help` texts and the test
    /// that keeps `etc/authy-webhooksd.conf` complete).
    public static var knownKeys: [(section: String, keys: [String])] {
        ConfigurationSchema.sections.map { ($0.name, $0.keys.map(\.name)) }
            + [(ConfigurationSchema.webhookSection, ConfigurationSchema.webhookKeys.map(\.name))]
            + [(ConfigurationSchema.forwardSection, ConfigurationSchema.forwardKeys.map(\.name))]
    }

    /// Every key that a reload (`SIGHUP`) does not apply, as `[Section] Key=`: what the listeners, the HTTP decoders and
    /// the store were built with at start. Derived from the schema, like the reload itself and the manual page's
    /// "Reload" column, so the three cannot disagree.
    public static var startOnlyKeys: [String] {
        ConfigurationSchema.sections.flatMap { section in
            section.keys.filter { $0.startOnly != nil }.map { "[\(section.name)] \($0.name)=" }
        }
    }

    /// For a reload: puts back each start-only setting's running value (see `startOnlyKeys`), so that
    /// `authyctl status` keeps describing what really runs, and returns the names of those the files changed.
    public mutating func keepStartOnlySettings(of running: DaemonConfiguration) -> [String] {
        var changed: [String] = []
        for section in ConfigurationSchema.sections {
            for key in section.keys {
                if let startOnly = key.startOnly, startOnly.keep(&self, running) { changed.append("[\(section.name)] \(key.name)=") }
            }
        }
        return changed
    }

    /// Creates a configuration from its parts.
    public init(receiver: ReceiverSettings, store: StoreSettings, control: ControlSettings, authy: AuthySettings,
                log: LogSettings, webhooks: [WebhookSettings], sourceFiles: [String], warnings: [String]) {
        self.receiver = receiver
        self.store = store
        self.control = control
        self.authy = authy
        self.log = log
        self.webhooks = webhooks
        self.sourceFiles = sourceFiles
        self.warnings = warnings
    }
}

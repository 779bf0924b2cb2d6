/// `[Store]`: the SQLite database that keeps deliveries and events.
public struct StoreSettings: Sendable, Equatable {
    /// `Database=`: the SQLite file. A relative path is resolved against the daemon's current directory (not the
    /// config file's). Default `/var/lib/authy-webhooksd/authy-webhooksd.sqlite3`.
    public var database: String
    /// `Synchronous=`: durability of acknowledged deliveries. Default `full`.
    public var synchronous: SynchronousMode
    /// `BusyTimeout=`: how long a write waits for a lock held by another process before the delivery gets 503;
    /// 0–1h. Default 5s.
    public var busyTimeout: Duration
    /// `Retention=`: age after which events are pruned; nil (`Retention=0`, the default) keeps them forever.
    public var retention: Duration?

    /// Every default of `[Store]`.
    public static let `default` = StoreSettings(
        database: "/var/lib/authy-webhooksd/authy-webhooksd.sqlite3",
        synchronous: .full,
        busyTimeout: .seconds(5),
        retention: nil
    )
}

/// `[Store] Synchronous=`: what "stored" means when a delivery is answered 2xx.
public enum SynchronousMode: String, Sendable, CaseIterable {
    /// Every acknowledged delivery is fsynced to the WAL before the 2xx: nothing acknowledged is lost, even on power
    /// loss.
    case full
    /// Faster: an OS crash or power loss may lose the last acknowledged deliveries; a crash of the daemon loses
    /// nothing.
    case normal
}

/// `[Receiver]`: where and how the daemon accepts Authy's webhook deliveries.
public struct ReceiverSettings: Sendable, Equatable {
    /// `Listen=`: addresses to listen on (repeatable; an empty `Listen=` clears the list; an empty list means the
    /// default `127.0.0.1:8080`).
    public var listen: [ListenAddress]
    /// `Path=`: the URL path that accepts deliveries; starts with `/`. Default `/authy/webhook`.
    public var path: String
    /// `PublicURL=`: when set, a delivery's JWT `url` claim must be present and equal to it. Default unset.
    public var publicURL: String?
    /// `MaxBodySize=`: largest request body in bytes, 1K–16M. Default 64K.
    public var maxBodySize: Int
    /// `MaxHeaderSize=`: largest request line plus headers in bytes, 1K–1M. Default 16K.
    public var maxHeaderSize: Int
    /// `ReadTimeout=`: time allowed to receive a whole request. Default 10s.
    public var readTimeout: Duration
    /// `IdleTimeout=`: how long an idle keep-alive connection stays open. Default 60s.
    public var idleTimeout: Duration
    /// `MaxConnections=`: concurrent connections, 1–1000000. Default 512. At the limit, the longest-idle kept-alive
    /// connection is closed to make room for a new one.
    public var maxConnections: Int
    /// `MaxPendingWrites=`: deliveries waiting for the store before new ones are answered 503. Default 1024.
    public var maxPendingWrites: Int
    /// `RetiredKeyGrace=`: how long a replaced or deleted webhook signing key still verifies deliveries. Default 24h.
    public var retiredKeyGrace: Duration

    /// Every default of `[Receiver]`.
    public static let `default` = ReceiverSettings(
        listen: [ListenAddress(host: "127.0.0.1", port: 8080)],
        path: "/authy/webhook",
        publicURL: nil,
        maxBodySize: 64 << 10,
        maxHeaderSize: 16 << 10,
        readTimeout: .seconds(10),
        idleTimeout: .seconds(60),
        maxConnections: 512,
        maxPendingWrites: 1024,
        retiredKeyGrace: .seconds(24 * 3600)
    )
}

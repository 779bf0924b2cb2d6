/// `[Control]`: the Unix socket `authyctl` talks to.
public struct ControlSettings: Sendable, Equatable {
    /// `Socket=`: path of the control socket (at most 107 bytes, the Unix socket limit).
    /// Default `/run/authy-webhooksd/control.sock`.
    public var socket: String
    /// `SocketMode=`: permission bits of the socket file, written in octal (`0660`). Default 0o660.
    public var socketMode: UInt32
    /// `SocketGroup=`: group owning the socket, whose members may read; nil (empty) keeps the daemon's group.
    public var socketGroup: String?
    /// `AdminGroup=`: group whose members may change things (create, delete, sync, prune); nil (empty) means root only.
    public var adminGroup: String?
    /// `MaxBodySize=`: largest request body on the socket, 1K–16M. Default 64K.
    public var maxBodySize: Int
    /// `ReadTimeout=`: time allowed to receive a whole request on the socket (its head from the moment the
    /// connection is accepted, or from the first bytes of a further request on a kept-alive one, then its body).
    /// Default 10s.
    public var readTimeout: Duration
    /// `MaxHeaderSize=`: largest request line plus headers on the socket, 1K–1M. Default 16K.
    public var maxHeaderSize: Int
    /// `IdleTimeout=`: how long an idle keep-alive connection stays open (a `--follow` stream is not idle). Default 60s.
    public var idleTimeout: Duration
    /// `MaxConnections=`: connections served at once, `--follow` streams included, 1–65536. Default 64. At the limit,
    /// the longest-idle kept-alive connection is closed to make room for a new one.
    public var maxConnections: Int

    /// Every default of `[Control]`.
    public static let `default` = ControlSettings(
        socket: "/run/authy-webhooksd/control.sock",
        socketMode: 0o660,
        socketGroup: nil,
        adminGroup: nil,
        maxBodySize: 64 << 10,
        readTimeout: .seconds(10),
        maxHeaderSize: 16 << 10,
        idleTimeout: .seconds(60),
        maxConnections: 64
    )
}

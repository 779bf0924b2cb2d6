/// Fixed `MESSAGE_ID=` values of the daemon's notable journal entries, so operators can select them with
/// `journalctl MESSAGE_ID=…` regardless of the wording of the message. Generated once with `systemd-id128 new`;
/// never change a published value. Log them as the metadata entry `message_id` (mapped to `MESSAGE_ID`).
///
/// | Entry | MESSAGE_ID |
/// |---|---|
/// | started (ready to serve) | `b0bce730893d46368b837b5c1984f17c` |
/// | stopped (clean shutdown) | `4db6ed1476204e5b868f1cc291cee3c5` |
/// | delivery accepted | `975ad7f75a5c474eadb4352e9d574200` |
/// | delivery rejected | `3b609292ac114ee4a9eeb676d8575f17` |
/// | webhook registry changed | `645ca165db7f4d2a92e899f36d8e38e5` |
/// | configuration reloaded | `a7cc9c2c2fe24caaba11ce06a36808e4` |
/// | event forwarded to a target | `11279a626f0b44be85f3e4c8f9e2a896` |
/// | forward attempt failed, will retry | `6e547aa4695c4ad495335bf80ae9df6a` |
/// | event dead for a forward target | `5e46cb36de4d46f9afbb94fecd60e44d` |
public enum JournalMessageID {
    /// The daemon finished start-up and serves (logged next to `READY=1`).
    public static let started = "b0bce730893d46368b837b5c1984f17c"
    /// The daemon shut down cleanly.
    public static let stopped = "4db6ed1476204e5b868f1cc291cee3c5"
    /// A signed delivery was verified and stored.
    public static let deliveryAccepted = "975ad7f75a5c474eadb4352e9d574200"
    /// A delivery was refused (bad signature, malformed, …); `VERIFY_RESULT=` says why.
    public static let deliveryRejected = "3b609292ac114ee4a9eeb676d8575f17"
    /// A webhook was created, deleted or synchronised with Authy.
    public static let registryChanged = "645ca165db7f4d2a92e899f36d8e38e5"
    /// A SIGHUP reload applied a new configuration.
    public static let configReloaded = "a7cc9c2c2fe24caaba11ce06a36808e4"
    /// A `[Forward]` target took an event (`FORWARD_TARGET=`, `EVENT_ID=`, `FORWARD_ATTEMPT=`).
    public static let forwardDelivered = "11279a626f0b44be85f3e4c8f9e2a896"
    /// A forward attempt failed; the next one is scheduled.
    public static let forwardRetry = "6e547aa4695c4ad495335bf80ae9df6a"
    /// A forward target refused an event for good, or every attempt of its `RetrySchedule=` failed.
    public static let forwardDead = "5e46cb36de4d46f9afbb94fecd60e44d"

    /// Every ID with a short name, for documentation and the journal catalog.
    public static let all: [(name: String, id: String)] = [
        ("started", started), ("stopped", stopped),
        ("deliveryAccepted", deliveryAccepted), ("deliveryRejected", deliveryRejected),
        ("registryChanged", registryChanged), ("configReloaded", configReloaded),
        ("forwardDelivered", forwardDelivered), ("forwardRetry", forwardRetry), ("forwardDead", forwardDead),
    ]
}

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Tells the service manager about the daemon's state (readiness, status line, reload, stop, watchdog).
///
/// Every call is a silent no-op when `NOTIFY_SOCKET` is unset, so the daemon runs the same outside systemd.
/// The datagram protocol of `sd_notify(3)` is stable and documented for reimplementation; we speak it directly to
/// the socket named in the *given* environment (instead of libsystemd's `sd_notify`, which only reads the process
/// environment) so tests can point a notifier at their own socket without mutating global process state.
public struct SystemdNotifier: Sendable {
    /// Where datagrams go; nil when notifications are disabled.
    let destination: NotifySocketAddress?
    /// `WATCHDOG_USEC` from the environment when it is meant for this process.
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment` (the process's by default).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.destination = environment["NOTIFY_SOCKET"].flatMap(NotifySocketAddress.init(notifySocket:))
        self.watchdogInterval = Self.watchdogInterval(environment: environment, pid: getpid())
    }

    /// Whether a service manager listens (a usable `NOTIFY_SOCKET` was given).
    public var isEnabled: Bool { destination != nil }

    /// Half of ``watchdogInterval``: how often to send ``watchdogPing()`` (the interval systemd documents).
    public var watchdogPingInterval: Duration? { watchdogInterval.map { $0 / 2 } }

    /// `READY=1`, optionally with a `STATUS=` line: start-up (or a reload) finished.
    public func ready(status: String? = nil) {
        send(["READY=1"] + Self.statusAssignment(status))
    }

    /// `STATUS=`: one short human-readable line shown by `systemctl status`.
    public func status(_ line: String) {
        send(Self.statusAssignment(line))
    }

    /// `STOPPING=1`, optionally with a `STATUS=` line: the daemon began its graceful shutdown.
    public func stopping(status: String? = nil) {
        send(["STOPPING=1"] + Self.statusAssignment(status))
    }

    /// `RELOADING=1` with `MONOTONIC_USEC=` (the clock systemd compares against); follow with ``ready(status:)``.
    public func reloading() {
        send(["RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())"])
    }

    /// `WATCHDOG=1`: the daemon is alive; send at ``watchdogPingInterval``.
    public func watchdogPing() {
        send(["WATCHDOG=1"])
    }

    /// Sends one datagram of newline-separated assignments; errors are ignored like `sd_notify` callers do,
    /// because a service manager that went away must never take the daemon down.
    func send(_ assignments: [String]) {
        guard let destination, !assignments.isEmpty else { return }
        destination.sendDatagram(Array(assignments.joined(separator: "\n").utf8))
    }

    /// A `STATUS=` assignment kept to one line: a newline would start a new (bogus) assignment.
    static func statusAssignment(_ status: String?) -> [String] {
        guard let status else { return [] }
        let oneLine = status.split(whereSeparator: \.isNewline).joined(separator: " ")
        return ["STATUS=\(oneLine)"]
    }

    /// The watchdog interval as `sd_watchdog_enabled(3)` computes it: `WATCHDOG_USEC` > 0, and `WATCHDOG_PID`
    /// (when present) naming this process, so a child that inherited the variables does not ping for its parent.
    static func watchdogInterval(environment: [String: String], pid: pid_t) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0,
              usec <= UInt64(Int64.max) else { return nil }
        if let pidText = environment["WATCHDOG_PID"] {
            guard let watchdogPID = pid_t(pidText), watchdogPID == pid else { return nil }
        }
        return .microseconds(Int64(usec))
    }

    /// `CLOCK_MONOTONIC` in microseconds, the clock `MONOTONIC_USEC=` is defined on.
    static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }
}

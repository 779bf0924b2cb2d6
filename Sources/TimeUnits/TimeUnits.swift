/// The time units of `systemd.time(7)`, in one table shared by the configuration's time spans (`Retention=6months`)
/// and authyctl's time expressions (`--before "6 months ago"`), so the two grammars cannot disagree.
///
/// A target of its own with no dependencies: AuthyWebhooksConfig has none, and authyctl links only ControlProtocol.
public enum TimeUnits {
    public static let nanosecondsPerSecond: Int64 = 1_000_000_000

    /// Nanoseconds per unit, by every lowercase spelling systemd accepts: `ns`, `us`/`µs`/`usec`, `ms`/`msec`,
    /// `s`/`sec`/`second(s)`, `m`/`min`/`minute(s)`, `h`/`hr`/`hour(s)`, `d`/`day(s)`, `w`/`week(s)`, `month(s)`
    /// (30.44 days), `y`/`year(s)` (365.25 days).
    public static let nanoseconds: [String: Int64] = {
        let second = nanosecondsPerSecond
        var table: [String: Int64] = [:]
        func add(_ names: [String], _ value: Int64) { for name in names { table[name] = value } }
        add(["ns", "nsec"], 1)
        add(["us", "µs", "μs", "usec"], 1_000)
        add(["ms", "msec"], 1_000_000)
        add(["s", "sec", "secs", "second", "seconds"], second)
        add(["m", "min", "mins", "minute", "minutes"], 60 * second)
        add(["h", "hr", "hrs", "hour", "hours"], 3_600 * second)
        add(["d", "day", "days"], 86_400 * second)
        add(["w", "week", "weeks"], 604_800 * second)
        // systemd's month and year: 30.44 and 365.25 days.
        add(["month", "months"], 2_629_800 * second)
        add(["y", "year", "years"], 31_557_600 * second)
        return table
    }()
}

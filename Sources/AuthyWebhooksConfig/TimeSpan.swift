#if canImport(TimeUnits)  // scripts/fuzz.sh compiles TimeUnits' source into the same module instead
import TimeUnits
#endif
/// systemd-style time spans (`systemd.time(7)`): `500ms`, `10s`, `5min`, `2h`, `1d`, `90d`, `1.5h`, combinations
/// such as `1min 30s` or `1h30min`, and a plain number meaning seconds.
///
/// Units are lowercase, as in systemd: `ns`, `us`/`µs`/`usec`, `ms`/`msec`, `s`/`sec`/`second(s)`,
/// `m`/`min`/`minute(s)`, `h`/`hr`/`hour(s)`, `d`/`day(s)`, `w`/`week(s)`, `month(s)` (30.44 days),
/// `y`/`year(s)` (365.25 days). Values are kept to the nanosecond and must stay below about 292 years, so that
/// every result fits the 64-bit nanosecond counters that timers use.
public enum TimeSpan {
    /// Parses a time span; throws `ValueFormatError` (`invalid_time_span`) for anything else, including negative or
    /// overflowing values.
    public static func parse(_ text: String) throws(ValueFormatError) -> Duration {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var total: Int64 = 0
        var components = 0

        func fail(_ why: String) -> ValueFormatError {
            ValueFormatError(code: "invalid_time_span", message: "\(why); expected a time span like 500ms, 10s, 5min, 2h, 1d or 1min 30s")
        }
        func skipSpaces() {
            while index < scalars.count, scalars[index].isWhitespace { index += 1 }
        }

        skipSpaces()
        if index == scalars.count { throw fail("empty time span") }
        while true {
            skipSpaces()
            if index == scalars.count { break }
            let numberStart = index
            guard let number = NumberScanner.scan(scalars, &index) else {
                // The scanner only moves past digits when they overflowed.
                throw fail(index > numberStart ? "time span too large" : "expected a number")
            }
            skipSpaces()
            let unitStart = index
            while index < scalars.count, scalars[index].properties.isAlphabetic { index += 1 }
            let unit = String(String.UnicodeScalarView(scalars[unitStart..<index]))
            let perUnit: Int64
            if unit.isEmpty {
                // A bare number is seconds, but only on its own: "1min 30" is ambiguous.
                guard components == 0 else { throw fail("missing unit after \(number.text)") }
                skipSpaces()
                guard index == scalars.count else { throw fail("unexpected text after \(number.text)") }
                perUnit = nanosecondsPerSecond
            } else if let known = units[unit] {
                perUnit = known
            } else {
                throw fail("unknown time unit \"\(unit)\"")
            }
            guard let value = number.scaled(by: perUnit) else { throw fail("time span too large") }
            let (sum, overflow) = total.addingReportingOverflow(value)
            guard !overflow else { throw fail("time span too large") }
            total = sum
            components += 1
        }
        return .nanoseconds(total)
    }

    /// Formats a duration the way systemd prints spans: `0`, `500ms`, `10s`, `1min 30s`, `1d 2h`.
    /// The output parses back to the same duration with `parse`, to the nanosecond.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if seconds < 0 || attoseconds < 0 {
            // Not produced by `parse`; keep the sign visible rather than printing nonsense.
            return "-" + format(.zero - duration)
        }
        var parts: [String] = []
        var rest = seconds
        for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("min", 60)] where rest >= size {
            parts.append("\(rest / size)\(unit)")
            rest %= size
        }
        if rest > 0 { parts.append("\(rest)s") }
        var nanos = attoseconds / 1_000_000_000
        for (unit, size) in [("ms", Int64(1_000_000)), ("us", 1_000)] where nanos >= size {
            parts.append("\(nanos / size)\(unit)")
            nanos %= size
        }
        if nanos > 0 { parts.append("\(nanos)ns") }
        return parts.isEmpty ? "0" : parts.joined(separator: " ")
    }

    static let nanosecondsPerSecond = TimeUnits.nanosecondsPerSecond

    /// systemd's table, shared with authyctl's `TimeExpression`.
    private static let units = TimeUnits.nanoseconds
}

import Foundation

/// How a webhooks-API call is retried after a 429, a 5xx, a timeout or a connection failure: `attempts` in all,
/// exponential backoff with full jitter (a random delay up to `baseDelay·2^(n-1)`, at most `maxDelay`), and a
/// `Retry-After` answer waited for as given, capped at `maxDelay`.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included (at least 1).
    public var attempts: Int
    /// Upper bound of the first backoff; doubles per retry.
    public var baseDelay: Duration
    /// Cap of any single wait, `Retry-After` included.
    public var maxDelay: Duration

    /// A policy; `attempts` below 1 counts as 1.
    public init(attempts: Int = 3, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(10)) {
        self.attempts = max(1, attempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// 3 attempts, 250 ms base, 10 s cap.
    public static let `default` = RetryPolicy()

    /// The wait before attempt `failedAttempt + 1`: the server's `Retry-After` if it gave one (capped), else full jitter.
    public func delay(afterAttempt failedAttempt: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter {
            return min(max(retryAfter, .zero), maxDelay)
        }
        let exponent = min(max(failedAttempt - 1, 0), 30)
        let ceiling = min(baseDelay * (1 << exponent), maxDelay)
        let ceilingNanos = Self.nanoseconds(ceiling)
        guard ceilingNanos > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...ceilingNanos))
    }

    /// Decodes a `Retry-After` header: delta-seconds (`120`) or an HTTP-date (`Wed, 21 Oct 2015 07:28:00 GMT`,
    /// also the obsolete RFC 850 and asctime forms). A date in the past gives zero; anything else gives nil.
    public static func parseRetryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // Huge values are capped later by maxDelay; clamp here only to avoid overflow.
            return .seconds(Int64(text.prefix(9)) ?? 0)
        }
        for format in httpDateFormats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                let seconds = max(0, date.timeIntervalSince(now))
                return .milliseconds(Int64((seconds * 1000).rounded(.up)))
            }
        }
        return nil
    }

    private static let httpDateFormats = [
        "EEE, dd MMM yyyy HH:mm:ss zzz",  // IMF-fixdate
        "EEEE, dd-MMM-yy HH:mm:ss zzz",  // RFC 850
        "EEE MMM d HH:mm:ss yyyy",  // asctime
    ]

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        return product &+ attoseconds / 1_000_000_000
    }
}

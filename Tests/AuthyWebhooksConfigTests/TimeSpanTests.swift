import Testing
@testable import AuthyWebhooksConfig

@Suite struct TimeSpanTests {
    static let spans: [(String, Duration)] = [
        ("500ms", .milliseconds(500)),
        ("10s", .seconds(10)),
        ("10", .seconds(10)),
        ("1.5", .milliseconds(1500)),
        ("5min", .seconds(300)),
        ("5m", .seconds(300)),
        ("2h", .seconds(7200)),
        ("1d", .seconds(86_400)),
        ("90d", .seconds(90 * 86_400)),
        ("1w", .seconds(7 * 86_400)),
        ("2 weeks", .seconds(14 * 86_400)),
        ("1min 30s", .seconds(90)),
        ("1min30s", .seconds(90)),
        ("1h 30min", .seconds(5400)),
        ("1.5h", .seconds(5400)),
        ("3 days 4 hours", .seconds(3 * 86_400 + 4 * 3600)),
        ("  10s  ", .seconds(10)),
        ("250us", .microseconds(250)),
        ("250µs", .microseconds(250)),
        ("7ns", .nanoseconds(7)),
        ("1y", .seconds(31_557_600)),
        ("1month", .seconds(2_629_800)),
        ("0", .zero),
        ("0s", .zero),
    ]

    @Test(arguments: spans)
    func parsesSystemdSpans(text: String, expected: Duration) throws {
        #expect(try TimeSpan.parse(text) == expected)
    }

    @Test(arguments: [
        "", "   ", "s", "10x", "-5s", "+5s", "10 s s", "1min 30", "10S", "1e3s", "1,5s", "10s,", ".s", "1..5s",
        "99999999999999999999s", "300y", "9223372036854775807d", "1d 9223372036854775807ns", "inf", "infinity",
    ])
    func rejectsWithItsCode(text: String) {
        #expect(throws: ValueFormatError.self) { try TimeSpan.parse(text) }
        do {
            _ = try TimeSpan.parse(text)
        } catch {
            #expect(error.code == "invalid_time_span")
        }
    }

    static let formatted: [(Duration, String)] = [
        (.zero, "0"),
        (.milliseconds(500), "500ms"),
        (.seconds(10), "10s"),
        (.seconds(90), "1min 30s"),
        (.seconds(86_400), "1d"),
        (.seconds(90 * 86_400), "90d"),
        (.seconds(86_400 + 7200 + 3), "1d 2h 3s"),
        (.nanoseconds(1_500_001), "1ms 500us 1ns"),
    ]

    @Test(arguments: formatted)
    func formatsAsSystemdDoes(duration: Duration, text: String) throws {
        #expect(TimeSpan.format(duration) == text)
        #expect(try TimeSpan.parse(text) == duration)
    }
}

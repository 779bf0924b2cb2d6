import ControlProtocol
import Foundation
import Testing

/// RFC 3339 on the wire between authyctl and the daemon: formatted and parsed by hand, to the microsecond.
@Suite("Timestamp")
struct TimestampTests {
    // Up to 2100: further out, a Date (a Double of seconds) no longer holds every microsecond.
    @Test(arguments: [Int64(0), 1, 999_999, 1_795_940_000_123_456, -1, -1_000_001, 4_102_444_800_123_456, -62_135_596_800_000_000])
    func whatIsWrittenParsesBackToTheSameMicrosecond(_ micros: Int64) throws {
        let text = Timestamp.rfc3339(micros: micros)
        let parsed = try #require(Timestamp.parseRFC3339(text), "\(text)")
        #expect(Int64((parsed.timeIntervalSince1970 * 1_000_000).rounded()) == micros, "\(text)")
    }

    @Test func offsetsSeparatorsAndFractionsAreRead() throws {
        let utc = try #require(Timestamp.parseRFC3339("2026-11-29T10:00:00Z"))
        #expect(Timestamp.parseRFC3339("2026-11-29T11:30:00+01:30") == utc)
        #expect(Timestamp.parseRFC3339("2026-11-29T05:00:00-05:00") == utc)
        #expect(Timestamp.parseRFC3339("2026-11-29t10:00:00z") == utc)
        #expect(Timestamp.parseRFC3339("2026-11-29 10:00:00Z") == utc)
        #expect(Timestamp.parseRFC3339("2026-11-29T10:00:00.5Z") == utc.addingTimeInterval(0.5))
        #expect(Timestamp.parseRFC3339("2026-11-29T10:00:00.000000001Z") == utc)
        #expect(Timestamp.parseRFC3339("2024-02-29T00:00:00Z") != nil, "a leap day")
    }

    @Test(arguments: [
        "", "2026-11-29", "2026-11-29T10:00:00", "2026-11-29T10:00Z", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-11-31T00:00:00Z", "2026-11-29T24:00:00Z", "2026-11-29T10:60:00Z", "2026-11-29T10:00:60Z",
        "2026-11-29T10:00:00.Z", "2026-11-29T10:00:00.1234567890Z", "2026-11-29T10:00:00+0100", "2026-11-29T10:00:00Zjunk",
        " 2026-11-29T10:00:00Z", "26-11-29T10:00:00Z", "2026-11-29T10:00:00+24:00", "２０２６-11-29T10:00:00Z",
    ])
    func malformedTimesAreRefused(_ text: String) {
        #expect(Timestamp.parseRFC3339(text) == nil, "\(text)")
    }

    /// Differential check against Foundation on whole seconds from 1583 (before that Foundation's calendar is Julian).
    @Test func agreesWithISO8601DateFormatter() {
        let formatter = ISO8601DateFormatter()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: -12_212_553_600...253_402_300_799, using: &generator)
            let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(Timestamp.parseRFC3339(text) == formatter.date(from: text), "\(text)")
        }
    }

    /// The TimeExpression fuzzer's finding: at year 9999 a Double of seconds steps by 30 µs, and Foundation
    /// truncates the fraction to milliseconds, so the two readings came out more than 1 ms apart. Ours keeps the
    /// fraction as far as a Date can hold it.
    @Test func aFractionInYear9999IsKeptToTheNearestStep() throws {
        let parsed = try #require(Timestamp.parseRFC3339("9999-12-31T23:53:59.021993309Z"))
        let exact = 253_402_300_439.021993
        #expect(abs(parsed.timeIntervalSince1970 - exact) <= 2 * exact.ulp)
    }
}

import Foundation
import Testing
@testable import ControlProtocol
import TimeUnits

/// A fixed clock: Sunday 2026-11-29 12:34:56 UTC (13:34:56 in Berlin, which is on CET, +01:00).
private let now = utc("2026-11-29T12:34:56Z")
private let utcZone = TimeZone(identifier: "UTC")!
private let berlin = TimeZone(identifier: "Europe/Berlin")!

/// A UTC instant written in RFC 3339, read with Foundation's formatter so expectations do not use the parser under test.
private func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad test date \(text)") }
    return date
}

@Suite struct TimeExpressionTests {
    /// input, zone name, expected instant.
    static let valid: [(String, String, String)] = [
        // RFC 3339
        ("2026-11-29T10:00:00Z", "Europe/Berlin", "2026-11-29T10:00:00Z"),
        ("2026-11-29t10:00:00z", "Europe/Berlin", "2026-11-29T10:00:00Z"),
        ("2026-11-29T10:00:00+01:00", "UTC", "2026-11-29T09:00:00Z"),
        ("2026-11-29T10:00:00-05:30", "UTC", "2026-11-29T15:30:00Z"),
        ("2026-11-29T10:00:00.250Z", "UTC", "2026-11-29T10:00:00.250Z"),
        ("2026-11-29T10:00:00.123456789+00:00", "UTC", "2026-11-29T10:00:00.123Z"),
        ("2026-11-29 10:00:00Z", "Europe/Berlin", "2026-11-29T10:00:00Z"),
        ("2026-11-29T23:59:60Z", "UTC", "2026-11-30T00:00:00Z"),
        // Date and time without a zone: local
        ("2026-11-29 10:00", "UTC", "2026-11-29T10:00:00Z"),
        ("2026-11-29 10:00", "Europe/Berlin", "2026-11-29T09:00:00Z"),
        ("2026-11-29 10:00:30", "Europe/Berlin", "2026-11-29T09:00:30Z"),
        ("2026-07-01 10:00", "Europe/Berlin", "2026-07-01T08:00:00Z"),  // summer time, +02:00
        ("2026-11-29T10:00", "Europe/Berlin", "2026-11-29T09:00:00Z"),
        // ... with a zone suffix
        ("2026-11-29 10:00 UTC", "Europe/Berlin", "2026-11-29T10:00:00Z"),
        ("2026-11-29 10:00 utc", "Europe/Berlin", "2026-11-29T10:00:00Z"),
        ("2026-11-29 10:00Z", "Europe/Berlin", "2026-11-29T10:00:00Z"),
        ("2026-11-29 10:00 +01:00", "UTC", "2026-11-29T09:00:00Z"),
        ("2026-11-29 10:00+0130", "UTC", "2026-11-29T08:30:00Z"),
        ("2026-11-29 10:00 -02", "UTC", "2026-11-29T12:00:00Z"),
        // Date alone: local midnight
        ("2026-11-29", "UTC", "2026-11-29T00:00:00Z"),
        ("2026-11-29", "Europe/Berlin", "2026-11-28T23:00:00Z"),
        ("2026-11-29 UTC", "Europe/Berlin", "2026-11-29T00:00:00Z"),
        ("2024-02-29", "UTC", "2024-02-29T00:00:00Z"),
        // Time alone: today
        ("10:00", "UTC", "2026-11-29T10:00:00Z"),
        ("10:00:30", "Europe/Berlin", "2026-11-29T09:00:30Z"),
        ("10:00Z", "Europe/Berlin", "2026-11-29T10:00:00Z"),
        // Words
        ("now", "UTC", "2026-11-29T12:34:56Z"),
        ("NOW", "Europe/Berlin", "2026-11-29T12:34:56Z"),
        ("today", "UTC", "2026-11-29T00:00:00Z"),
        ("today", "Europe/Berlin", "2026-11-28T23:00:00Z"),
        ("Yesterday", "UTC", "2026-11-28T00:00:00Z"),
        ("yesterday", "Europe/Berlin", "2026-11-27T23:00:00Z"),
        ("tomorrow", "UTC", "2026-11-30T00:00:00Z"),
        ("  today  ", "UTC", "2026-11-29T00:00:00Z"),
        // Relative
        ("-1h", "UTC", "2026-11-29T11:34:56Z"),
        ("+30m", "UTC", "2026-11-29T13:04:56Z"),
        ("-30min", "UTC", "2026-11-29T12:04:56Z"),
        ("-1h30m", "UTC", "2026-11-29T11:04:56Z"),
        ("-1h 30min", "UTC", "2026-11-29T11:04:56Z"),
        ("-90", "UTC", "2026-11-29T12:33:26Z"),
        ("-500ms", "UTC", "2026-11-29T12:34:55.500Z"),
        ("-250000us", "UTC", "2026-11-29T12:34:55.750Z"),
        ("-2d", "Europe/Berlin", "2026-11-27T12:34:56Z"),
        ("-1w", "UTC", "2026-11-22T12:34:56Z"),
        ("+1 week", "UTC", "2026-12-06T12:34:56Z"),
        ("2h ago", "UTC", "2026-11-29T10:34:56Z"),
        ("90s ago", "UTC", "2026-11-29T12:33:26Z"),
        ("3 days ago", "UTC", "2026-11-26T12:34:56Z"),
        ("1 week ago", "UTC", "2026-11-22T12:34:56Z"),
        ("2 weeks ago", "UTC", "2026-11-15T12:34:56Z"),
        ("1h 30min ago", "UTC", "2026-11-29T11:04:56Z"),
        ("1 hour 30 minutes ago", "UTC", "2026-11-29T11:04:56Z"),
        ("5 Minutes AGO", "UTC", "2026-11-29T12:29:56Z"),
        ("10 sec ago", "UTC", "2026-11-29T12:34:46Z"),
        ("45 seconds ago", "UTC", "2026-11-29T12:34:11Z"),
        ("1 second ago", "UTC", "2026-11-29T12:34:55Z"),
        ("1 minute ago", "UTC", "2026-11-29T12:33:56Z"),
        ("1 day ago", "UTC", "2026-11-28T12:34:56Z"),
        ("2 hours ago", "UTC", "2026-11-29T10:34:56Z"),
        ("100 ms ago", "UTC", "2026-11-29T12:34:55.900Z"),
    ]

    @Test(arguments: valid)
    func readsEveryForm(input: String, zone: String, expected: String) throws {
        let parsed = try TimeExpression.parse(input, now: now, timeZone: TimeZone(identifier: zone)!)
        #expect(abs(parsed.timeIntervalSince(utc(expected))) < 0.000_5, "\(input) in \(zone)")
    }

    @Test func todayYesterdayAndTomorrowAreCalendarDaysAcrossDaylightSavingTime() throws {
        // Berlin moves from +01:00 to +02:00 at 02:00 on 2026-03-29.
        let dstDay = utc("2026-03-29T12:00:00Z")
        #expect(try TimeExpression.parse("today", now: dstDay, timeZone: berlin) == utc("2026-03-28T23:00:00Z"))
        #expect(try TimeExpression.parse("yesterday", now: dstDay, timeZone: berlin) == utc("2026-03-27T23:00:00Z"))
        #expect(try TimeExpression.parse("tomorrow", now: dstDay, timeZone: berlin) == utc("2026-03-29T22:00:00Z"))
    }

    @Test func localTimesSkippedOrRepeatedByDaylightSavingTime() throws {
        // 02:30 does not exist on 2026-03-29 in Berlin: read with the winter offset, it lands at 03:30 summer time.
        #expect(try TimeExpression.parse("2026-03-29 02:30", now: now, timeZone: berlin) == utc("2026-03-29T01:30:00Z"))
        // 02:30 happens twice on 2026-10-25: the earlier one (summer time, +02:00) is meant.
        #expect(try TimeExpression.parse("2026-10-25 02:30", now: now, timeZone: berlin) == utc("2026-10-25T00:30:00Z"))
        #expect(try TimeExpression.parse("2026-10-25 03:30", now: now, timeZone: berlin) == utc("2026-10-25T02:30:00Z"))
    }

    @Test func theDefaultsAreTheClockAndTheLocalZone() throws {
        let before = Date()
        let parsed = try TimeExpression.parse("now")
        #expect(parsed >= before && parsed <= Date())
        let local = try TimeExpression.parse("2026-11-29 10:00", now: now)
        #expect(local == (try TimeExpression.parse("2026-11-29 10:00", now: now, timeZone: .current)))
    }

    static let invalid: [String] = [
        "", "   ", "\t\n",
        "yesterdays", "tomorow", "never", "noon", "today 10:00", "now+1h", "now -1h",
        "2026-13-01", "2026-00-10", "2026-02-29", "2026-11-31", "2026-11-00", "0000-01-01",
        "2026-11-29 24:00", "2026-11-29 10:60", "2026-11-29T10:00:61Z", "2026-11-29T", "2026-11-29T10",
        "2026-11-29Z", "2026-1-29", "26-11-29", "2026/11/29", "20261129", "2026-11-29 10:00 CET",
        "2026-11-29 10:00 +25:00", "2026-11-29 10:00 +01:60", "2026-11-29T10:00:00.Z", "2026-11-29T10:00:00,5Z",
        "2026-11-29 10:00 Z Z", "2026-11-29 10:00:00 +01:00 extra", "10", "10:", "1:00", "25:00", "10:00:00:00",
        "1h", "2 days", "1h ago ago", "-", "+", "ago", " ago", "-ago", "+-1h", "--1h", "- 1h", "-1x", "-1.5h",
        "1.5h ago", "-1h 30", "1 fortnight ago", "-2h ago", "h ago", "-h",
        "99999999999999999999s ago", "-9999999999 weeks", "-3000000h", "-9223372036854775807us 9223372036854775807us",
        "\u{1B}[31mnow", "now\u{0}", "１２:００", "2026-11-29\u{00A0}10:00", "2026−11−29",
        String(repeating: "1", count: 1000), String(repeating: "-1h", count: 200),
    ]

    @Test(arguments: invalid)
    func refusesWithTheInputAndTheAcceptedForms(input: String) {
        do {
            let date = try TimeExpression.parse(input, now: now, timeZone: berlin)
            Issue.record("\(input.debugDescription) read as \(date)")
        } catch {
            #expect(error.code == "invalid_time")
            #expect(error.input == input)
            #expect(error.message.hasPrefix("cannot read the time "))
            #expect(error.message.contains("2h ago"))
            #expect(error.message.contains("yesterday"))
            #expect(error.description == error.message)
        }
    }

    @Test func resultsOutsideYears1To9999AreRefused() {
        let lastSecond = utc("9999-12-31T23:59:59Z")
        #expect(throws: TimeExpressionError.self) { try TimeExpression.parse("+2s", now: lastSecond, timeZone: utcZone) }
        #expect(throws: TimeExpressionError.self) {
            try TimeExpression.parse("0001-01-01T00:00:00+01:00", now: now, timeZone: utcZone)
        }
        // Proleptic Gregorian, as RFC 3339 (Foundation's formatter would use the Julian calendar before 1582).
        let firstSecond = Date(timeIntervalSince1970: -62_135_596_800)
        #expect((try? TimeExpression.parse("0001-01-01T00:00:00Z", now: now, timeZone: utcZone)) == firstSecond)
        #expect((try? TimeExpression.parse("0001-01-01", now: now, timeZone: utcZone)) == firstSecond)
        #expect((try? TimeExpression.parse("9999-12-31 23:59:59 UTC", now: now, timeZone: berlin)) == lastSecond)
    }

    @Test func theMessageNamesTheInputQuotedAndGivesTheReason() {
        let error = TimeExpressionError(input: "2026-02-30", reason: "2026-02 has no day 30")
        #expect(error.message.hasPrefix("cannot read the time \"2026-02-30\" (2026-02 has no day 30); accepted forms:\n  2026-11-29T10:00:00Z"))
        #expect(throws: error) { try TimeExpression.parse("2026-02-30", now: now, timeZone: utcZone) }
    }

    @Test func controlCharactersAndLongInputAreEscapedAndShortenedInTheMessage() {
        let escape = TimeExpressionError(input: "\u{1B}[2J")
        #expect(!escape.message.contains("\u{1B}"))
        #expect(escape.message.contains("\\u{1B}[2J"))
        let long = TimeExpressionError(input: String(repeating: "x", count: 500))
        #expect(!long.message.contains(String(repeating: "x", count: 81)))
        #expect(long.input.count == 500)
    }

    /// Found by fuzz/TimeExpression: U+0089 (a C1 control) reached the message unescaped. Any input bytes, as the
    /// fuzzer gave them, plus a one-character CSI and a right-to-left override.
    @Test func c1ControlsAndFormatCharactersAreEscapedInTheMessage() {
        let fuzzed = String(decoding: [
            0x38, 0xFF, 0xC2, 0xC2, 0xC2, 0x14, 0xC2, 0x89, 0xC2, 0xC2, 0xC2, 0xC2, 0xC2, 0xC2, 0xC2, 0xC2, 0xC2,
            0xC2, 0xC2,
        ] as [UInt8], as: UTF8.self)
        for input in [fuzzed, "\u{9B}31m", "a\u{202E}b"] {
            let error = TimeExpressionError(input: input)
            #expect(!error.message.unicodeScalars.contains {
                $0 != "\n" && [.control, .format].contains($0.properties.generalCategory)
            })
            #expect(error.input == input)
        }
        #expect(TimeExpressionError(input: "\u{9B}31m").message.contains("\\u{9B}31m"))
        #expect(TimeExpressionError(input: "a\u{202E}b").message.contains("a\\u{202E}b"))
        #expect(TimeExpressionError(input: "\u{14}").message.contains("\\u{14}"))
    }

    /// One unit table with the configuration's `TimeSpan` (`Retention=6months`), as systemd.time(7) has one.
    @Test(arguments: TimeUnits.nanoseconds.keys.filter { $0.allSatisfy(\.isASCII) }.sorted())
    func everySystemdUnitIsAcceptedInRelativeTimes(unit: String) throws {
        let perUnit = try #require(TimeUnits.nanoseconds[unit])
        let expected = now.addingTimeInterval(-6 * Double(perUnit) / 1e9)
        #expect(try TimeExpression.parse("6 \(unit) ago", now: now, timeZone: utcZone) == expected)
        #expect(try TimeExpression.parse("-6\(unit)", now: now, timeZone: utcZone) == expected)
    }

    @Test func sixMonthsAgoIsSystemdsSixMonths() throws {
        // 6 × 30.44 days, as Retention=6months.
        #expect(try TimeExpression.parse("6 months ago", now: now, timeZone: utcZone)
            == now.addingTimeInterval(-6 * 2_629_800))
        #expect(try TimeExpression.parse("1 year ago", now: now, timeZone: utcZone)
            == now.addingTimeInterval(-31_557_600))
    }

    @Test func acceptedFormsIsAShortList() {
        let lines = TimeExpression.acceptedForms.split(separator: "\n")
        #expect((5...10).contains(lines.count))
        #expect(lines.allSatisfy { $0.count <= 110 })
    }

    /// Arbitrary input never traps; whatever is accepted lies in years 1–9999.
    @Test func arbitraryInputEitherParsesInRangeOrThrows() {
        let alphabet = Array("0123456789-+:.TZtzUCago hmsdwinuerkyoz \t,/\u{0}é9")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<5_000 {
            var text = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0..<Int(state >> 59) + Int(state >> 61) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            if let date = try? TimeExpression.parse(text, now: now, timeZone: berlin) {
                #expect(date.timeIntervalSince1970 >= -62_135_596_800 && date.timeIntervalSince1970 < 253_402_300_800,
                        "\(text.debugDescription)")
            }
        }
    }
}

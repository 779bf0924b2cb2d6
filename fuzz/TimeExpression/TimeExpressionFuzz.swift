import Foundation

/// libFuzzer target for the `--since`/`--until`/`--before` parser, `TimeExpression.parse`.
///
/// Input: the expression as typed (UTF-8; invalid bytes become U+FFFD as they would in a `String` argument). Each is
/// parsed at a fixed "now" in four time zones, from UTC-12 to UTC+14, including half-hour and 45-minute offsets and
/// daylight-saving gaps.
///
/// Invariants (a violation traps, which libFuzzer reports as a crash):
/// - nothing traps, whatever the input or zone (the parser's documented promise);
/// - every date it gives is in the years 1 to 9999; every refusal has code `invalid_time`, echoes the input, and a
///   message that is bounded in length and holds no control or format characters but its own newlines (the input
///   may hold terminal escape sequences);
/// - parsing is deterministic, and the zone does not matter for expressions that name their zone (a full date with
///   `Z`/`UTC`/`±hh:mm`) or count from now (`now`, `±span`, `… ago`);
/// - an RFC 3339 UTC timestamp that `ISO8601DateFormatter` reads and prints back identically is accepted as that
///   same instant, and an accepted RFC 3339 timestamp (`Z` or `±hh:mm`, optional fraction) is the instant
///   `ISO8601DateFormatter` reads. Only from 1583 on: Foundation's calendar is Julian before the Gregorian reform,
///   while RFC 3339 (ISO 8601) counts proleptic Gregorian days, as ours does.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimeExpression(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var results: [Date?] = []
    for zone in TimeExpressionFuzz.zones {
        let date: Date?
        do {
            date = try TimeExpression.parse(text, now: TimeExpressionFuzz.now, timeZone: zone)
        } catch {
            TimeExpressionFuzz.checkRefusal(error, text)
            date = nil
        }
        if let date {
            require(date.timeIntervalSince1970 >= -62_135_596_800 && date.timeIntervalSince1970 < 253_402_300_800,
                    "a date outside the years 1 to 9999")
        }
        results.append(date)
    }
    require((try? TimeExpression.parse(text, now: TimeExpressionFuzz.now, timeZone: TimeExpressionFuzz.zones[0]))
        == results[0], "parsing is not deterministic")
    if TimeExpressionFuzz.namesItsZone(text) {
        require(results.allSatisfy { $0 == results[0] }, "a zone-independent expression depends on the zone")
    }
    TimeExpressionFuzz.compareWithFoundation(text, results[0])
    return 0
}

enum TimeExpressionFuzz {
    /// 2027-01-15T08:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let zones = ["UTC", "Europe/Berlin", "Pacific/Chatham", "Etc/GMT+12", "Pacific/Kiritimati"]
        .map { TimeZone(identifier: $0)! }

    static func checkRefusal(_ error: TimeExpressionError, _ text: String) {
        require(error.code == "invalid_time" && error.input == text)
        require(error.message.utf8.count < 4_096, "an unbounded error message")
        // The list of accepted forms is fixed text; scanning only what comes before it keeps the harness fast.
        require(error.message.hasSuffix(formsTail), "the message does not end with the accepted forms")
        let head = String(error.message.utf8.prefix(error.message.utf8.count - formsTail.utf8.count)) ?? ""
        require(!head.unicodeScalars.contains(where: isUnsafe), "a control character in the error message")
    }

    /// What every refusal's message ends with: the accepted forms, after the quoted input and the reason.
    static let formsTail = String(TimeExpressionError(input: "").message.split(separator: ";", maxSplits: 1)[1])

    /// C0 and C1 controls but newline, DEL, and format characters such as U+202E (right-to-left override).
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A: false
        case 0x20..<0x7F: false
        case 0..<0x20, 0x7F...0x9F: true
        default: scalar.properties.generalCategory == .format
        }
    }

    /// A full date with an explicit zone, or a span counted from now.
    static func namesItsZone(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard trimmed.unicodeScalars.allSatisfy(\.isASCII) else { return false }
        if trimmed == "now" || trimmed.hasPrefix("+") || trimmed.hasPrefix("-") || trimmed.hasSuffix("ago") {
            return true
        }
        let bytes = Array(trimmed.utf8)
        let fullDate = bytes.count >= 10 && matches(Array(bytes[0..<10]), "dddd-dd-dd")
        let zoned = trimmed.hasSuffix("z") || trimmed.hasSuffix("utc")
            || (bytes.count >= 6 && matches(Array(bytes.suffix(6)), "+dd:dd"))
            || (bytes.count >= 6 && matches(Array(bytes.suffix(6)), "-dd:dd"))
        return fullDate && zoned && bytes.count > 10
    }

    static func compareWithFoundation(_ text: String, _ ours: Date?) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 40, matches(Array(bytes[0..<19]), "dddd-dd-ddTdd:dd:dd"),
            String(decoding: bytes[0..<4], as: UTF8.self) >= "1583"
        else { return }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        if bytes.count == 20, bytes[19] == UInt8(ascii: "Z"), let theirs = formatter.date(from: text),
            formatter.string(from: theirs) == text {
            require(ours == theirs, "refused or misread a canonical RFC 3339 timestamp")
        }
        guard let ours else { return }
        var rest = Array(bytes[19...])
        if rest.first == UInt8(ascii: ".") {
            let digits = rest.dropFirst().prefix { (0x30...0x39).contains($0) }.count
            // Past nine digits Foundation is no reference: it reads "…59.055555555555555309Z" as …59.000 (measured;
            // found by this fuzzer). Ours keeps the first six digits whatever follows.
            guard (1...9).contains(digits) else { return }
            rest.removeFirst(digits + 1)
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        }
        guard rest == Array("Z".utf8) || (rest.count == 6 && (matches(rest, "+dd:dd") || matches(rest, "-dd:dd")))
        else { return }
        if let theirs = formatter.date(from: text) {
            // Foundation truncates to milliseconds; ours keeps microseconds. Both are Doubles of seconds, whose
            // step near year 9999 is 30 µs: "9999-12-31T23:53:59.021993309Z" is …439.020996 for Foundation
            // (measured) and .021993 give or take a step for us, which came out over 1 ms apart (found by this
            // fuzzer). Allow a millisecond plus two steps.
            let step = theirs.timeIntervalSinceReferenceDate.magnitude.ulp
            require(abs(ours.timeIntervalSince(theirs)) < 0.001 + 2 * step, "an RFC 3339 timestamp read differently")
        }
    }

    /// `template`'s `d` is any ASCII digit; other bytes must match exactly.
    static func matches(_ bytes: [UInt8], _ template: String) -> Bool {
        let pattern = Array(template.utf8)
        guard bytes.count == pattern.count else { return false }
        return zip(bytes, pattern).allSatisfy { byte, expected in
            expected == UInt8(ascii: "d") ? (0x30...0x39).contains(byte) : byte == expected
        }
    }
}

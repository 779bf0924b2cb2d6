import Foundation

/// RFC 3339 formatting and parsing without DateFormatter (it runs once per event when millions are exported), in
/// the proleptic Gregorian arithmetic of ``TimeExpressionParser``.
public enum Timestamp {
    /// `2026-11-29T10:00:00.123456Z` from microseconds since the epoch (UTC, always 6 fraction digits).
    public static func rfc3339(micros: Int64) -> String {
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let fraction = micros - seconds * 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = TimeExpressionParser.civilFromDays(Int(days))
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + "." + pad(fraction, 6) + "Z"
    }

    /// The same for a `Date`.
    public static func rfc3339(_ date: Date) -> String {
        rfc3339(micros: Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))
    }

    /// Parses what ``rfc3339(micros:)`` writes and other RFC 3339 times (`T`, `t` or a space between date and
    /// time, a fraction of 1–9 digits, `Z` or an offset), keeping microseconds. By hand, like the formatting: an
    /// `ISO8601DateFormatter` costs the daemon ~0.3 ms per request and its first use ~24 ms of ICU loading, and it
    /// rounds fractions to milliseconds.
    public static func parseRFC3339(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + width)] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += width
            return value
        }
        func expect(_ allowed: String) -> Bool {
            guard index < bytes.count, allowed.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= TimeExpressionParser.daysIn(month: month, year: year), hour <= 23, minute <= 59, second <= 59
        else { return nil }
        var fractionMicros = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let digitsStart = index
            var value = 0.0
            var scale = 1.0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                scale /= 10
                value += Double(bytes[index] - UInt8(ascii: "0")) * scale
                index += 1
            }
            guard (1...9).contains(index - digitsStart) else { return nil }
            fractionMicros = (value * 1_000_000).rounded()
        }
        var offset = 0
        if expect("Zz") {
            offset = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(2), expect(":"), let minutes = number(2), hours <= 23, minutes <= 59 else { return nil }
            offset = sign * (hours * 3_600 + minutes * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = TimeExpressionParser.daysFromCivil(year, month, day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: (Double(seconds) * 1_000_000 + fractionMicros) / 1_000_000)
    }

    private static func pad(_ value: some BinaryInteger, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

import Foundation
#if canImport(TimeUnits)  // scripts/fuzz.sh compiles TimeUnits' source into the same module instead
import TimeUnits
#endif

/// journalctl-style time expressions for --since/--until/--before.
///
/// A hand-written parser rather than `DateFormatter`, which accepts garbage leniently and differs between platforms.
/// Every input either gives a date in years 1–9999 or throws; nothing traps (it is fuzzed).
public enum TimeExpression {
    /// Reads `text` as a point in time. Local forms (a date or time without a zone, `today`, `yesterday`,
    /// `tomorrow`) use `timeZone`; relative forms count from `now`.
    public static func parse(_ text: String, now: Date = Date(),
                             timeZone: TimeZone = .current) throws(TimeExpressionError) -> Date {
        do throws(TimeExpressionFailure) {
            var parser = TimeExpressionParser(text: text, now: now, timeZone: timeZone)
            let date = try parser.parse()
            guard date.timeIntervalSince1970 >= firstSecond, date.timeIntervalSince1970 <= lastSecond else {
                throw TimeExpressionFailure("out of range: years 1 to 9999 only")
            }
            return date
        } catch {
            throw TimeExpressionError(input: text, reason: error.reason)
        }
    }

    /// A short multi-line list used in the error message and in --help.
    public static let acceptedForms = """
        2026-11-29T10:00:00Z, 2026-11-29 11:00:00.5+01:00  RFC 3339 (T or a space before the time)
        2026-11-29 10:00, 2026-11-29 10:00:00              local time; add Z, UTC or +01:00 for another zone
        2026-11-29                                         local midnight
        10:00, 10:00:30                                    today, local time
        now, today, yesterday, tomorrow                    today etc. mean local midnight
        -1h, +30m, -1h30m, -30min                          relative to now
        2h ago, 90s ago, 3 days ago, 1h 30min ago          in the past
        units as in systemd.time(7): ns, us, ms, s, m or min, h, d, w, month, y; or spelled out, seconds to years
        """

    /// `acceptedForms` indented by two spaces: how help texts and error messages show it as a table (the manual pages
    /// keep indented lines as they are).
    public static let indentedAcceptedForms = acceptedForms.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z, the years a four-digit RFC 3339 date can name.
    static let firstSecond: TimeInterval = -62_135_596_800
    static let lastSecond: TimeInterval = 253_402_300_799.999
}

/// A time expression that could not be read. `message` names the input and lists the accepted forms.
public struct TimeExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Always `invalid_time`.
    public let code: String
    /// The text as given.
    public let input: String
    /// `cannot read the time "…" (why); accepted forms:` followed by `TimeExpression.acceptedForms`, indented.
    public let message: String

    /// Creates the error for `input`, with an optional reason such as `February has no day 30`.
    public init(input: String, reason: String? = nil) {
        self.code = "invalid_time"
        self.input = input
        // Quoted with escapes and bounded: the input may be anything, including terminal control sequences.
        let shown = input.unicodeScalars.count > 80
            ? String(String.UnicodeScalarView(input.unicodeScalars.prefix(80))) + "…" : input
        self.message = "cannot read the time \(Self.quoted(shown))"
            + (reason.map { " (\($0))" } ?? "") + "; accepted forms:\n" + TimeExpression.indentedAcceptedForms
    }

    public var description: String { message }

    /// `debugDescription`, which escapes C0 controls and DEL, with the C1 controls (U+0080–U+009F, e.g. U+009B, a
    /// one-character CSI for some terminals) and invisible format characters (e.g. U+202E, which reverses the text
    /// after it) escaped as well, so that echoing hostile input cannot act on or disguise the user's terminal.
    static func quoted(_ text: String) -> String {
        var result = ""
        for scalar in text.debugDescription.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format: result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// Why parsing stopped, when there is more to say than "not a time".
struct TimeExpressionFailure: Error {
    var reason: String?
    init(_ reason: String? = nil) { self.reason = reason }
}

/// The parser over the input's bytes (every accepted form is ASCII).
struct TimeExpressionParser {
    let now: Date
    let timeZone: TimeZone
    /// The trimmed input, ASCII letters lowercased.
    private var bytes: [UInt8]
    private var index = 0

    /// Longer input is refused before any work: no accepted form comes close.
    private static let maximumLength = 256
    private let tooLong: Bool

    init(text: String, now: Date, timeZone: TimeZone) {
        self.now = now
        self.timeZone = timeZone
        tooLong = text.utf8.count > Self.maximumLength
        var bytes = tooLong ? [] : Array(text.utf8)
        while let first = bytes.first, Self.isSpace(first) { bytes.removeFirst() }
        while let last = bytes.last, Self.isSpace(last) { bytes.removeLast() }
        self.bytes = bytes.map(Self.lowercased)
    }

    mutating func parse() throws(TimeExpressionFailure) -> Date {
        guard !tooLong else { throw TimeExpressionFailure("too long") }
        guard !bytes.isEmpty else { throw TimeExpressionFailure("empty") }
        guard bytes.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || Self.isSpace($0) }) else { throw TimeExpressionFailure() }
        switch String(decoding: bytes, as: UTF8.self) {
        case "now": return now
        case "today": return try startOfDay(offsetByDays: 0)
        case "yesterday": return try startOfDay(offsetByDays: -1)
        case "tomorrow": return try startOfDay(offsetByDays: 1)
        default: break
        }
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            let sign: Int64 = bytes[0] == UInt8(ascii: "-") ? -1 : 1
            index = 1
            guard peekDigit() != nil else { throw TimeExpressionFailure() }
            return now.addingTimeInterval(Double(sign) * Double(try span()) / 1e9)
        }
        if bytes.count > 4, bytes.suffix(3) == Array("ago".utf8), Self.isSpace(bytes[bytes.count - 4]) {
            bytes.removeLast(3)
            return now.addingTimeInterval(-Double(try span()) / 1e9)
        }
        return try absolute()
    }

    // MARK: Relative

    /// `1h 30min`, `90s`, `3 days`: nanoseconds. A bare number is seconds, only on its own.
    private mutating func span() throws(TimeExpressionFailure) -> Int64 {
        var total: Int64 = 0
        var components = 0
        while true {
            skipSpaces()
            if atEnd { break }
            let digitsStart = index
            var value: Int64 = 0
            while let digit = peekDigit() {
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (plus, overflow2) = times.addingReportingOverflow(Int64(digit))
                if overflow1 || overflow2 { throw TimeExpressionFailure("number too large") }
                value = plus
                index += 1
            }
            guard index > digitsStart else { throw TimeExpressionFailure() }
            skipSpaces()
            let unitStart = index
            while !atEnd, Self.isLetter(bytes[index]) { index += 1 }
            let unit = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            let perUnit: Int64
            if unit.isEmpty {
                skipSpaces()
                guard components == 0, atEnd else { throw TimeExpressionFailure("missing unit") }
                perUnit = TimeUnits.nanosecondsPerSecond
            } else if let known = Self.units[unit] {
                perUnit = known
            } else {
                throw TimeExpressionFailure("unknown unit \"\(unit)\"")
            }
            let (product, overflow1) = value.multipliedReportingOverflow(by: perUnit)
            let (sum, overflow2) = total.addingReportingOverflow(product)
            if overflow1 || overflow2 { throw TimeExpressionFailure("out of range") }
            total = sum
            components += 1
        }
        guard components > 0 else { throw TimeExpressionFailure() }
        return total
    }

    /// systemd's table, shared with the configuration's `TimeSpan` (`Retention=6months`). Only its ASCII spellings
    /// can match: the input is ASCII.
    private static let units = TimeUnits.nanoseconds

    // MARK: Absolute

    private struct Clock {
        var hour = 0, minute = 0, second = 0, nanosecond = 0
    }

    /// `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][ ][zone]` or `HH:MM[:SS[.fff]][ ][zone]`.
    private mutating func absolute() throws(TimeExpressionFailure) -> Date {
        var date: (year: Int, month: Int, day: Int)?
        var clock: Clock?
        if bytes.count >= 3, bytes[2] == UInt8(ascii: ":") {
            clock = try time()
        } else {
            date = try calendarDate()
            if !atEnd, bytes[index] == UInt8(ascii: "t") {
                index += 1
                clock = try time()
            } else if !atEnd, Self.isSpace(bytes[index]) {
                skipSpaces()
                if peekDigit() != nil { clock = try time() }
            } else if !atEnd {
                throw TimeExpressionFailure()
            }
        }
        skipSpaces()
        let offset = atEnd ? nil : try zoneOffset()
        guard atEnd else { throw TimeExpressionFailure() }

        let time = clock ?? Clock()
        let extra = TimeInterval(time.second == 60 ? 1 : 0) + TimeInterval(time.nanosecond) / 1e9
        let second = min(time.second, 59)  // a leap second counts as the next second
        // A bare time means that time on today's date, in the given zone or the local one.
        let day = if let date { date } else { Self.civilFromDays(try today(offset: offset)) }
        let wallClock = Self.daysFromCivil(day.year, day.month, day.day) * 86_400
            + time.hour * 3_600 + time.minute * 60 + second
        let instant = if let offset { wallClock - offset } else { localInstant(wallClock) }
        return Date(timeIntervalSince1970: TimeInterval(instant) + extra)
    }

    private mutating func calendarDate() throws(TimeExpressionFailure) -> (year: Int, month: Int, day: Int) {
        let year = try digits(4)
        try expect("-")
        let month = try digits(2)
        try expect("-")
        let day = try digits(2)
        guard year >= 1 else { throw TimeExpressionFailure("there is no year 0") }
        guard (1...12).contains(month) else { throw TimeExpressionFailure("there is no month \(month)") }
        guard (1...Self.daysIn(month: month, year: year)).contains(day) else {
            throw TimeExpressionFailure("\(year)-\(month < 10 ? "0" : "")\(month) has no day \(day)")
        }
        return (year, month, day)
    }

    private mutating func time() throws(TimeExpressionFailure) -> Clock {
        var clock = Clock()
        clock.hour = try digits(2)
        try expect(":")
        clock.minute = try digits(2)
        if !atEnd, bytes[index] == UInt8(ascii: ":") {
            index += 1
            clock.second = try digits(2)
            if !atEnd, bytes[index] == UInt8(ascii: ".") {
                index += 1
                var count = 0
                var nanos = 0
                while let digit = peekDigit() {
                    if count < 9 { nanos = nanos * 10 + digit }
                    count += 1
                    index += 1
                }
                guard count > 0 else { throw TimeExpressionFailure() }
                for _ in 0..<max(0, 9 - count) { nanos *= 10 }
                clock.nanosecond = nanos
            }
        }
        guard clock.hour <= 23 else { throw TimeExpressionFailure("there is no hour \(clock.hour)") }
        guard clock.minute <= 59 else { throw TimeExpressionFailure("there is no minute \(clock.minute)") }
        guard clock.second <= 60 else { throw TimeExpressionFailure("there is no second \(clock.second)") }
        return clock
    }

    /// `z`, `utc`, `+HH:MM`, `+HHMM`, `+HH` (lowercased input): seconds east of UTC.
    private mutating func zoneOffset() throws(TimeExpressionFailure) -> Int {
        let rest = bytes[index...]
        if rest.elementsEqual("z".utf8) || rest.elementsEqual("utc".utf8) {
            index = bytes.count
            return 0
        }
        guard let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else {
            throw TimeExpressionFailure()
        }
        index += 1
        let hours = try digits(2)
        var minutes = 0
        if !atEnd {
            if bytes[index] == UInt8(ascii: ":") { index += 1 }
            minutes = try digits(2)
        }
        guard hours <= 23, minutes <= 59 else { throw TimeExpressionFailure("there is no zone offset like that") }
        return (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 3_600 + minutes * 60)
    }

    // MARK: Calendar arithmetic
    //
    // Done by hand in the proleptic Gregorian calendar that RFC 3339 uses: Foundation's Gregorian calendar switches
    // to the Julian one before 1582, so it would disagree with the explicit-offset forms on old dates.

    /// Local midnight `days` calendar days from today; across a DST change "yesterday" is still midnight.
    private func startOfDay(offsetByDays days: Int) throws(TimeExpressionFailure) -> Date {
        let day = try today(offset: nil) + days
        return Date(timeIntervalSince1970: TimeInterval(localInstant(day * 86_400)))
    }

    /// Today's day number (days since 1970-01-01) at a fixed offset, or in `timeZone`.
    private func today(offset: Int?) throws(TimeExpressionFailure) -> Int {
        let seconds = now.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e12 else { throw TimeExpressionFailure("the clock is out of range") }
        let whole = Int(seconds.rounded(.down))
        let local = whole + (offset ?? timeZone.secondsFromGMT(for: now))
        return local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    }

    /// The instant at which `timeZone`'s wall clock shows `wallClock` (seconds since 1970 as if it were UTC).
    /// A time repeated when clocks go back gives the earlier instant; a time skipped when they go forward is
    /// read with the offset from before the change, landing after the gap (as `mktime` does).
    private func localInstant(_ wallClock: Int) -> Int {
        let offsets = [-86_400, 0, 86_400].map { shift in
            timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wallClock + shift)))
        }
        let matching = offsets.map { wallClock - $0 }.filter { instant in
            instant + timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))) == wallClock
        }
        return matching.min() ?? wallClock - offsets[0]
    }

    /// The proleptic Gregorian date of a day number (Howard Hinnant's `civil_from_days`).
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // MARK: Scanning

    private var atEnd: Bool { index >= bytes.count }

    private func peekDigit() -> Int? {
        guard !atEnd, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else { return nil }
        return Int(bytes[index] - UInt8(ascii: "0"))
    }

    /// Exactly `count` digits.
    private mutating func digits(_ count: Int) throws(TimeExpressionFailure) -> Int {
        var value = 0
        for _ in 0..<count {
            guard let digit = peekDigit() else { throw TimeExpressionFailure() }
            value = value * 10 + digit
            index += 1
        }
        return value
    }

    private mutating func expect(_ character: Unicode.Scalar) throws(TimeExpressionFailure) {
        guard !atEnd, bytes[index] == UInt8(ascii: character) else { throw TimeExpressionFailure() }
        index += 1
    }

    private mutating func skipSpaces() {
        while !atEnd, Self.isSpace(bytes[index]) { index += 1 }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}

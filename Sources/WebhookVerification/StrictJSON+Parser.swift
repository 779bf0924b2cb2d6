/// The iterative state machine behind `StrictJSON`. Works on a buffer pointer (no per-byte bounds-checked array
/// access, no copies) and keeps its own stack of open containers instead of recursing.
struct StrictJSONParser {
    private struct Frame {
        var node: Int
        var isObject: Bool
        /// Where this object's keys start in `keys`.
        var keyBase: Int
        var count: Int
    }

    /// A key of an open object: its contents' byte range (without quotes) and whether it holds escapes.
    private struct Key {
        var start: Int
        var end: Int
        var hasEscapes: Bool
    }

    /// Objects with more keys than this are checked for duplicates with a hash set instead of pairwise.
    private static let pairwiseKeyLimit = 16

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private let rejectDuplicateKeys: Bool
    private var position = 0
    private var frames: [Frame] = []
    private var keys: [Key] = []
    private(set) var nodes: [JSONNode] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, rejectDuplicateKeys: Bool) {
        self.bytes = bytes
        self.maxDepth = maxDepth
        self.rejectDuplicateKeys = rejectDuplicateKeys
        nodes.reserveCapacity(min(bytes.count / 4 + 1, 4096))
    }

    mutating func run() throws(StrictJSONError) {
        let count = bytes.count
        valueLoop: while true {
            // Expecting a value.
            skipWhitespace()
            guard position < count else { throw syntax("unexpected end of input, expected a value") }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = byte == UInt8(ascii: "{")
                guard frames.count < maxDepth else {
                    throw StrictJSONError(.tooDeep, "JSON nesting exceeds \(max(maxDepth, 0)) levels")
                }
                nodes.append(JSONNode(
                    kind: isObject ? .object : .array, hasEscapes: false,
                    start: position, end: position, next: 0, count: 0))
                frames.append(Frame(node: nodes.count - 1, isObject: isObject, keyBase: keys.count, count: 0))
                position += 1
                skipWhitespace()
                guard position < count else { throw syntax("unexpected end of input inside a container") }
                if bytes[position] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    position += 1
                    try closeFrame()
                } else {
                    if isObject { try readKeyAndColon() }
                    continue valueLoop
                }
            case UInt8(ascii: "\""):
                try readString(isKey: false)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try readNumber()
            case UInt8(ascii: "t"):
                try readLiteral("true", kind: .bool)
            case UInt8(ascii: "f"):
                try readLiteral("false", kind: .bool)
            case UInt8(ascii: "n"):
                try readLiteral("null", kind: .null)
            default:
                throw syntax("unexpected byte, expected a value")
            }

            // A value just ended; it belongs to the innermost open container, if any.
            while true {
                guard !frames.isEmpty else {
                    skipWhitespace()
                    guard position == count else { throw syntax("unexpected data after the JSON value") }
                    return
                }
                frames[frames.count - 1].count += 1
                skipWhitespace()
                guard position < count else { throw syntax("unexpected end of input inside a container") }
                let isObject = frames[frames.count - 1].isObject
                let next = bytes[position]
                if next == UInt8(ascii: ",") {
                    position += 1
                    if isObject {
                        skipWhitespace()
                        try readKeyAndColon()
                    }
                    // A `]`/`}` right after the comma is a trailing comma: the value reader rejects it.
                    continue valueLoop
                }
                guard next == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw syntax(isObject ? "expected ',' or '}'" : "expected ',' or ']'")
                }
                position += 1
                try closeFrame()
            }
        }
    }

    // MARK: Containers

    private mutating func closeFrame() throws(StrictJSONError) {
        let frame = frames.removeLast()
        nodes[frame.node].end = position
        nodes[frame.node].next = nodes.count
        nodes[frame.node].count = frame.count
        if frame.isObject {
            if rejectDuplicateKeys { try checkDuplicateKeys(from: frame.keyBase) }
            keys.removeSubrange(frame.keyBase...)
        }
    }

    private mutating func readKeyAndColon() throws(StrictJSONError) {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            throw syntax("expected a string key")
        }
        try readString(isKey: true)
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw syntax("expected ':'") }
        position += 1
    }

    private func checkDuplicateKeys(from base: Int) throws(StrictJSONError) {
        let count = keys.count - base
        guard count > 1 else { return }
        if count <= Self.pairwiseKeyLimit {
            for first in base..<(keys.count - 1) {
                for second in (first + 1)..<keys.count where keysEqual(keys[first], keys[second]) {
                    throw StrictJSONError(.duplicateKey, "an object repeats a key")
                }
            }
        } else {
            var seen = Set<[UInt8]>(minimumCapacity: count)
            for key in keys[base...] {
                let text = JSONStringDecoding.unescape(bytes, from: key.start, to: key.end, hasEscapes: key.hasEscapes)
                guard seen.insert(text).inserted else {
                    throw StrictJSONError(.duplicateKey, "an object repeats a key")
                }
            }
        }
    }

    private func keysEqual(_ lhs: Key, _ rhs: Key) -> Bool {
        if !lhs.hasEscapes && !rhs.hasEscapes {
            guard lhs.end - lhs.start == rhs.end - rhs.start else { return false }
            return bytes[lhs.start..<lhs.end].elementsEqual(bytes[rhs.start..<rhs.end])
        }
        return JSONStringDecoding.unescape(bytes, from: lhs.start, to: lhs.end, hasEscapes: lhs.hasEscapes)
            == JSONStringDecoding.unescape(bytes, from: rhs.start, to: rhs.end, hasEscapes: rhs.hasEscapes)
    }

    // MARK: Scalars

    /// Reads the string whose opening quote is at `position`.
    private mutating func readString(isKey: Bool) throws(StrictJSONError) {
        let start = position
        let count = bytes.count
        var hasEscapes = false
        position += 1
        let base = UnsafeRawPointer(bytes.baseAddress)
        while true {
            // Strings are most of a delivery (the envelope's token alone is hundreds of bytes): skip eight plain
            // bytes at a time, then look at the first byte that may need attention one at a time.
            if let base {
                while position + 8 <= count,
                    !Self.mayHoldSpecialByte(base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                {
                    position += 8
                }
            }
            guard position < count else { throw syntax("unterminated string") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                try readEscape()
            } else if byte < 0x20 {
                throw syntax("raw control character in a string")
            } else if byte < 0x80 {
                position += 1
            } else {
                guard let next = UTF8Validation.sequenceEnd(in: bytes, at: position) else {
                    throw syntax("invalid UTF-8 in a string")
                }
                position = next
            }
        }
        position += 1  // the closing quote
        nodes.append(JSONNode(
            kind: .string, hasEscapes: hasEscapes, start: start, end: position, next: nodes.count + 1, count: 0))
        if isKey {
            keys.append(Key(start: start + 1, end: position - 1, hasEscapes: hasEscapes))
        }
    }

    /// Reads the escape whose backslash is at `position`.
    private mutating func readEscape() throws(StrictJSONError) {
        guard position + 1 < bytes.count else { throw syntax("unterminated escape") }
        switch bytes[position + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 2
        case UInt8(ascii: "u"):
            guard let unit = JSONStringDecoding.hex4OrNil(bytes, at: position + 2) else {
                throw syntax("invalid \\u escape")
            }
            position += 6
            switch unit {
            case 0xD800...0xDBFF:
                // A high surrogate must be followed at once by an escaped low surrogate (RFC 8259 §7, RFC 7493).
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u"),
                    let low = JSONStringDecoding.hex4OrNil(bytes, at: position + 2), (0xDC00...0xDFFF).contains(low)
                else { throw syntax("unpaired UTF-16 surrogate escape") }
                position += 6
            case 0xDC00...0xDFFF:
                throw syntax("unpaired UTF-16 surrogate escape")
            default:
                break
            }
        default:
            throw syntax("invalid escape")
        }
    }

    /// Reads `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func readNumber() throws(StrictJSONError) {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard isDigit(at: position) else { throw syntax("invalid number") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard isDigit(at: position) else { throw syntax("invalid number") }
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard isDigit(at: position) else { throw syntax("invalid number") }
            skipDigits()
        }
        nodes.append(JSONNode(
            kind: .number, hasEscapes: false, start: start, end: position, next: nodes.count + 1, count: 0))
    }

    private mutating func readLiteral(_ literal: StaticString, kind: JSONNode.Kind) throws(StrictJSONError) {
        let length = literal.utf8CodeUnitCount
        guard position + length <= bytes.count else { throw syntax("invalid literal") }
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: length)
        for offset in 0..<length where bytes[position + offset] != expected[offset] {
            throw syntax("invalid literal")
        }
        nodes.append(JSONNode(
            kind: kind, hasEscapes: false, start: position, end: position + length, next: nodes.count + 1, count: 0))
        position += length
    }

    // MARK: Helpers

    /// Whether any of the eight bytes is `"`, `\`, a control character (< 0x20) or non-ASCII (>= 0x80). Exact for
    /// "none of them" (the classic SWAR zero-byte and less-than tests have no false negatives), which is all the
    /// fast path relies on.
    @inline(__always)
    private static func mayHoldSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let isQuote = (quote &- ones) & ~quote
        let isBackslash = (backslash &- ones) & ~backslash
        let isControl = (word &- ones &* 0x20) & ~word
        return ((isQuote | isBackslash | isControl) & highs) | (word & highs) != 0
    }

    @inline(__always)
    private func isDigit(at index: Int) -> Bool {
        index < bytes.count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
    }

    @inline(__always)
    private mutating func skipDigits() {
        while isDigit(at: position) { position += 1 }
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private func syntax(_ what: String) -> StrictJSONError {
        StrictJSONError(.invalidJSON, "invalid JSON at byte \(position): \(what)")
    }
}

/// One value on the parse tape. Values are stored in document order; a container is followed by its children (for
/// objects: key, value, key, value, ...), and `next` is the tape index just past its whole subtree, so skipping a
/// value is O(1).
struct JSONNode {
    enum Kind: UInt8 {
        case object, array, string, number, bool, null
    }

    var kind: Kind
    /// For strings: whether the text contains a backslash escape (if not, the raw bytes are the value).
    var hasEscapes: Bool
    /// Byte offset of the value's first byte (the quote, bracket, sign or digit).
    var start: Int
    /// Byte offset just past the value's last byte.
    var end: Int
    /// Tape index just past this value's subtree.
    var next: Int
    /// Members of an object or elements of an array.
    var count: Int
}

/// A parsed JSON text: the original bytes plus the tape of `JSONNode`s. Node 0 is the top-level value.
struct JSONDocument {
    let bytes: [UInt8]
    let nodes: [JSONNode]

    /// Tape index of the top-level value.
    var root: Int { 0 }

    func kind(_ node: Int) -> JSONNode.Kind { nodes[node].kind }

    /// The value's exact bytes as received.
    func rawBytes(_ node: Int) -> [UInt8] {
        Array(bytes[nodes[node].start..<nodes[node].end])
    }

    /// The value's exact text as received (numbers, for instance).
    func rawText(_ node: Int) -> String {
        String(decoding: bytes[nodes[node].start..<nodes[node].end], as: UTF8.self)
    }

    /// The tape index of `key`'s value in the object at `node`, or nil (also when `node` is not an object).
    /// Keys are unique because the parser rejects duplicates, so the first match is the only one.
    func member(_ node: Int, _ key: StaticString) -> Int? {
        guard nodes[node].kind == .object else { return nil }
        let wanted = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        var index = node + 1
        for _ in 0..<nodes[node].count {
            let valueIndex = index + 1
            if stringEquals(index, wanted) { return valueIndex }
            index = nodes[valueIndex].next
        }
        return nil
    }

    /// Tape indices of the elements of the array at `node` (empty when it is not an array).
    func elements(_ node: Int) -> [Int] {
        guard nodes[node].kind == .array else { return [] }
        var result = [Int]()
        result.reserveCapacity(nodes[node].count)
        var index = node + 1
        for _ in 0..<nodes[node].count {
            result.append(index)
            index = nodes[index].next
        }
        return result
    }

    /// The unescaped value of the string at `node`, or nil when it is not a string.
    func string(_ node: Int) -> String? {
        guard nodes[node].kind == .string else { return nil }
        return String(decoding: stringBytes(node), as: UTF8.self)
    }

    /// The number at `node` as a Double (±infinity when out of range), or nil when it is not a number.
    func number(_ node: Int) -> Double? {
        guard nodes[node].kind == .number else { return nil }
        return Double(rawText(node))
    }

    /// The unescaped UTF-8 bytes of the string at `node`.
    func stringBytes(_ node: Int) -> [UInt8] {
        let value = nodes[node]
        return bytes.withUnsafeBufferPointer { buffer in
            JSONStringDecoding.unescape(buffer, from: value.start + 1, to: value.end - 1, hasEscapes: value.hasEscapes)
        }
    }

    private func stringEquals(_ node: Int, _ wanted: UnsafeBufferPointer<UInt8>) -> Bool {
        let value = nodes[node]
        if value.hasEscapes { return stringBytes(node).elementsEqual(wanted) }
        guard value.end - value.start - 2 == wanted.count else { return false }
        return bytes[(value.start + 1)..<(value.end - 1)].elementsEqual(wanted)
    }
}

/// Unescaping of string contents that the parser has already validated.
enum JSONStringDecoding {
    /// The UTF-8 bytes of the string whose contents (between the quotes) are `from..<to`.
    static func unescape(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int, hasEscapes: Bool) -> [UInt8] {
        guard hasEscapes else { return Array(bytes[from..<to]) }
        var output = [UInt8]()
        output.reserveCapacity(to - from)
        var index = from
        while index < to {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = UInt32(hex4(bytes, at: index))
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    // The parser guarantees a low surrogate escape follows.
                    let low = UInt32(hex4(bytes, at: index + 2))
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                appendUTF8(scalar, to: &output)
            default: output.append(escape)  // `"`, `\` and `/` stand for themselves.
            }
        }
        return output
    }

    /// The value of four hex digits at `index`, or nil when they are not all hex digits (or run off the end).
    @inline(__always)
    static func hex4OrNil(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt16? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt16 {
        hex4OrNil(bytes, at: index) ?? 0xFFFD
    }

    private static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

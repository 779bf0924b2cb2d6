/// Hand-rolled UTF-8 validation (Unicode 15, table 3-7), shared by the envelope reader and the JSON parser.
///
/// Hand-rolled rather than `String(validating:)` so the JSON parser can validate in the same pass that scans strings,
/// and so both places reject exactly the same byte sequences (overlongs, encoded surrogates, > U+10FFFF).
enum UTF8Validation {
    /// The index just past the well-formed sequence that starts at `index` (whose lead byte is >= 0x80), or nil.
    @inline(__always)
    static func sequenceEnd(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let count = bytes.count
        let lead = bytes[index]
        @inline(__always) func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            let position = index + offset
            return position < count && bytes[position] >= low && bytes[position] <= high
        }
        switch lead {
        case 0xC2...0xDF:
            return continuation(1) ? index + 2 : nil
        case 0xE0:
            return continuation(1, 0xA0) && continuation(2) ? index + 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF:
            return continuation(1) && continuation(2) ? index + 3 : nil
        case 0xED:
            // 0xED 0xA0..0xBF would encode a UTF-16 surrogate, which UTF-8 forbids.
            return continuation(1, 0x80, 0x9F) && continuation(2) ? index + 3 : nil
        case 0xF0:
            return continuation(1, 0x90) && continuation(2) && continuation(3) ? index + 4 : nil
        case 0xF1...0xF3:
            return continuation(1) && continuation(2) && continuation(3) ? index + 4 : nil
        case 0xF4:
            return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? index + 4 : nil
        default:
            return nil
        }
    }

    /// Whether the whole buffer is well-formed UTF-8.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        // Tokens are ASCII: skip eight ASCII bytes at a time.
        if let base = UnsafeRawPointer(bytes.baseAddress) {
            while index + 8 <= count, base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
            }
        }
        while index < count {
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            guard let next = sequenceEnd(in: bytes, at: index) else { return false }
            index = next
        }
        return true
    }

    /// Whether the whole array is well-formed UTF-8.
    static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isValid($0) }
    }
}

/// Strict base64url (RFC 4648 §5) decoding as JWS compact serialization requires (RFC 7515 §2): no padding, no
/// whitespace, no `+` or `/`, and canonical trailing bits.
///
/// Canonical trailing bits matter: without that rule one signature has several spellings, so the same delivery could
/// arrive as different token strings and defeat de-duplication by token.
enum Base64URL {
    /// 0xFF marks a byte that is not in the base64url alphabet.
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()

    /// The decoded bytes, or nil when `input` is not canonical unpadded base64url.
    static func decode(_ input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = input.count
        let remainder = count % 4
        if remainder == 1 { return nil }
        let outputCount = count / 4 * 3 + (remainder == 0 ? 0 : remainder - 1)
        var valid = true
        let output = table.withUnsafeBufferPointer { table in
            [UInt8](unsafeUninitializedCapacity: outputCount) { output, initialized in
                var index = 0
                var written = 0
                let whole = count - remainder
                while index < whole {
                    let a = table[Int(input[index])], b = table[Int(input[index + 1])]
                    let c = table[Int(input[index + 2])], d = table[Int(input[index + 3])]
                    if (a | b | c | d) & 0xC0 != 0 {
                        valid = false
                        break
                    }
                    output[written] = a << 2 | b >> 4
                    output[written + 1] = b << 4 | c >> 2
                    output[written + 2] = c << 6 | d
                    written += 3
                    index += 4
                }
                if valid && remainder == 2 {
                    let a = table[Int(input[index])], b = table[Int(input[index + 1])]
                    if (a | b) & 0xC0 != 0 || b & 0x0F != 0 {
                        valid = false
                    } else {
                        output[written] = a << 2 | b >> 4
                        written += 1
                    }
                } else if valid && remainder == 3 {
                    let a = table[Int(input[index])], b = table[Int(input[index + 1])], c = table[Int(input[index + 2])]
                    if (a | b | c) & 0xC0 != 0 || c & 0x03 != 0 {
                        valid = false
                    } else {
                        output[written] = a << 2 | b >> 4
                        output[written + 1] = b << 4 | c >> 2
                        written += 2
                    }
                }
                // Only fully written bytes count as initialized, whatever happened.
                initialized = written
            }
        }
        return valid ? output : nil
    }
}

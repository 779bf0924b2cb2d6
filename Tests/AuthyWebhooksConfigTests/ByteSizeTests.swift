import Testing
@testable import AuthyWebhooksConfig

@Suite struct ByteSizeTests {
    static let sizes: [(String, Int)] = [
        ("65536", 65536), ("64K", 65536), ("64k", 65536), ("64 K", 65536), ("64KB", 65536), ("1M", 1 << 20),
        ("16M", 16 << 20), ("1G", 1 << 30), ("2T", 2 << 40), ("1.5M", 3 << 19), ("100B", 100), (" 1K ", 1024),
    ]

    @Test(arguments: sizes)
    func parsesPowersOf1024(text: String, expected: Int) throws {
        #expect(try ByteSize.parse(text) == expected)
    }

    @Test(arguments: [
        "", "K", "64Q", "-1K", "1.5", "64 K B", "0x10", "99999999999999999999", "9000000000000T", "64K extra", "1,5M",
    ])
    func rejectsWithItsCode(text: String) {
        do {
            let size = try ByteSize.parse(text)
            Issue.record("\(text) parsed as \(size)")
        } catch {
            #expect(error.code == "invalid_byte_size")
        }
    }

    static let formatted: [(Int, String)] = [(65536, "64K"), (16 << 20, "16M"), (1000, "1000"), (1 << 30, "1G"), (1536, "1536"), (0, "0")]

    @Test(arguments: formatted)
    func formatsWithTheLargestExactSuffix(bytes: Int, text: String) throws {
        #expect(ByteSize.format(bytes) == text)
        #expect(try ByteSize.parse(text) == bytes)
    }
}

import Testing
@testable import AuthyWebhooksConfig

@Suite struct RobustnessTests {
    static let codes: Set<String> = [
        "config_unreadable", "config_syntax", "config_unknown_section", "config_unknown_key", "config_invalid_value",
        "config_missing_key", "config_duplicate",
    ]

    static let fragments = [
        "[Receiver]", "[Store]", "[Control]", "[Authy]", "[Log]", "[Webhook]", "[", "]", "[[x]]", "#", ";", "=", "\\",
        "Listen=", "Listen=[::1]:", "Listen=127.0.0.1:8080", "Path=/", "MaxBodySize=16M", "MaxBodySize=1.999999999999999999K",
        "ReadTimeout=1min 30", "ReadTimeout=9223372036854775807ns", "Retention=0.5y", "SocketMode=0777", "Name=a", "Name=b",
        "SigningKey=WSK_x", "URL=https://[::1]:99999/", "URL=http://a", "Events=a b", "Events=", "APIURL=http://[", " ",
        "\t", "\r", "\u{0}", "é", "\u{FEFF}", "99999999999999999999999", "-", ".", "Level=Info", "Synchronous=normal",
    ]

    /// Random lines of plausible and broken fragments either parse or throw a coded error naming the file; nothing
    /// traps (the fuzz target runs the same entry point much longer).
    @Test func arbitraryTextParsesOrThrowsACodedError() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<(next() % 12) {
                for _ in 0..<(1 + next() % 3) { text += Self.fragments[next() % Self.fragments.count] }
                text += next() % 4 == 0 ? "" : "\n"
            }
            do {
                _ = try DaemonConfiguration.parse([(name: "fuzz.conf", text: text)])
            } catch {
                #expect(Self.codes.contains(error.code), "\(error.code) for \(text.debugDescription)")
                #expect(error.description.hasPrefix("fuzz.conf"), "\(text.debugDescription)")
            }
        }
    }
}

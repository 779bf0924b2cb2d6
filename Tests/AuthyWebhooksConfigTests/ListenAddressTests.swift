import Testing
@testable import AuthyWebhooksConfig

@Suite struct ListenAddressTests {
    static let valid: [(String, String, Int, String)] = [
        ("127.0.0.1:8080", "127.0.0.1", 8080, "127.0.0.1:8080"),
        ("0.0.0.0:0", "0.0.0.0", 0, "0.0.0.0:0"),
        ("[::1]:8080", "::1", 8080, "[::1]:8080"),
        ("[::]:443", "::", 443, "[::]:443"),
        ("[2001:db8::5]:65535", "2001:db8::5", 65535, "[2001:db8::5]:65535"),
        ("localhost:9000", "localhost", 9000, "localhost:9000"),
        ("hooks.example.com:80", "hooks.example.com", 80, "hooks.example.com:80"),
    ]

    @Test(arguments: valid)
    func parsesHostAndPort(text: String, host: String, port: Int, description: String) throws {
        let address = try ListenAddress.parse(text)
        #expect(address == ListenAddress(host: host, port: port))
        #expect(address.description == description)
    }

    @Test(arguments: [
        "127.0.0.1", ":8080", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:80a", "::1:8080",
        "[::1]8080", "[::1:8080", "[nothost]:80", "256.0.0.1:80", "1.2.3:80", "01.2.3.4:80", "exa mple:80",
        "-bad.example:80", "under_score:80", "[fe80::1%eth0]:80", "127.0.0.1:123456",
    ])
    func rejectsWithItsCode(text: String) {
        do {
            let address = try ListenAddress.parse(text)
            Issue.record("\(text) parsed as \(address)")
        } catch {
            #expect(error.code == "invalid_listen_address")
        }
    }
}

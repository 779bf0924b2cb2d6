import Foundation
import Testing
@testable import AuthyWebhooksConfig

/// The files in `etc/` are what users copy and what the README runs: they must parse, and the reference must
/// document every key with its real default.
@Suite struct ShippedFilesTests {
    /// `etc/` at the package root, found from this source file (following a symlinked Tests folder).
    static let etc: String = {
        let source = URL(fileURLWithPath: #filePath)
        for candidate in [source, source.resolvingSymlinksInPath()] {
            let etc = candidate.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("etc")
            if FileManager.default.fileExists(atPath: etc.appendingPathComponent("authy-webhooksd.conf").path) {
                return etc.path
            }
        }
        return source.deletingLastPathComponent().path + "/../../etc"
    }()

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: etc + "/" + name, encoding: .utf8)
    }

    @Test func theReferenceParsesToTheDefaults() throws {
        let config = try DaemonConfiguration.load(path: Self.etc + "/authy-webhooksd.conf", environment: [:])
        var expected = DaemonConfiguration.default
        expected.sourceFiles = config.sourceFiles
        #expect(config == expected)
    }

    @Test func theReferenceDocumentsEveryKeyInItsSection() throws {
        let text = try Self.text("authy-webhooksd.conf")
        for (section, keys) in DaemonConfiguration.knownKeys {
            let block = Self.block(of: section, in: text)
            #expect(!block.isEmpty, "no [\(section)] in the reference")
            for key in keys {
                #expect(block.contains("\n#\(key)="), "[\(section)] \(key)= is not documented in the reference")
            }
        }
    }

    /// Uncommenting every `#Key=value` line must give exactly the defaults: the documented defaults are the real ones.
    @Test func theDocumentedDefaultsAreTheRealDefaults() throws {
        let text = try Self.text("authy-webhooksd.conf")
        let beforeWebhooks = text.components(separatedBy: "\n# [Webhook] sections")[0]
        let uncommented = beforeWebhooks.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.hasPrefix("#"), let first = line.dropFirst().first, first.isLetter, line.contains("=") else {
                return String(line)
            }
            return String(line.dropFirst())
        }.joined(separator: "\n")
        #expect(uncommented.contains("\nListen=127.0.0.1:8080\n"))
        let config = try DaemonConfiguration.parse([(name: "uncommented.conf", text: uncommented)])
        var expected = DaemonConfiguration.default
        expected.sourceFiles = ["uncommented.conf"]
        #expect(config == expected)
    }

    @Test func theReferenceWebhookExamplesParseWhenUncommented() throws {
        let text = try Self.text("authy-webhooksd.conf")
        let examples = text.components(separatedBy: "\n# [Webhook] sections")[1]
            .split(separator: "\n").filter { $0.hasPrefix("#[") || ($0.hasPrefix("#") && $0.dropFirst().first?.isLetter == true && $0.contains("=")) }
            .map { $0.dropFirst() }.joined(separator: "\n")
        let config = try DaemonConfiguration.parse([(name: "examples.conf", text: examples)])
        #expect(config.webhooks.map(\.name) == ["production", "verifications"])
        #expect(config.webhooks[1].events.count == 4)
    }

    @Test func theDevelopmentConfigurationRunsLocallyWithTheSimulationWebhook() throws {
        let config = try DaemonConfiguration.load(path: Self.etc + "/authy-webhooksd.dev.conf", environment: [:])
        #expect(config.receiver.listen == [ListenAddress(host: "127.0.0.1", port: 8080)])
        #expect(config.store.database == "var/authy-webhooksd.sqlite3")
        #expect(config.control.socket == "var/control.sock")
        #expect(config.webhooks == [WebhookSettings(name: "local-dev", signingKey: "WSK_local_development_key_not_secret",
                                                    location: Self.etc + "/authy-webhooksd.dev.conf:17")])
        #expect(config.authy.missingCredentials.count == 3)
    }

    @Test func theDevelopmentConfigurationsFakeAPILinesParseWhenUncommented() throws {
        let text = try Self.text("authy-webhooksd.dev.conf")
        let uncommented = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("#[") || (line.hasPrefix("#") && line.dropFirst().first?.isLetter == true && line.contains("="))
                ? String(line.dropFirst()) : String(line)
        }.joined(separator: "\n")
        let config = try DaemonConfiguration.parse([(name: "dev.conf", text: uncommented)])
        #expect(config.authy.apiURL == "http://127.0.0.1:9099")
        #expect(config.authy.appAPIKey == "dev-app-api-key")
        #expect(config.authy.accessKey == "dev-access-key")
        #expect(config.authy.apiSigningKey == "dev-api-signing-key")
    }

    /// The text from a `[Section]` or `#[Section]` line up to the next section line.
    static func block(of section: String, in text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0 == "[\(section)]" || $0 == "#[\(section)]" }) else { return "" }
        let end = lines[(start + 1)...].firstIndex(where: { $0.hasPrefix("[") }) ?? lines.endIndex
        return "\n" + lines[start..<end].joined(separator: "\n") + "\n"
    }
}

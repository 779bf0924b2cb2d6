import Testing
@testable import AuthyWebhooksConfig

@Suite struct RenderTests {
    static let secrets = ["app-key-SECRET-1", "access-key-SECRET-2", "signing-key-SECRET-3", "WSK_webhook_SECRET_4"]

    static let configWithSecrets = """
        [Authy]
        AppAPIKey=\(secrets[0])
        AccessKey=\(secrets[1])
        APISigningKey=\(secrets[2])
        [Webhook]
        Name=prod
        SigningKey=\(secrets[3])
        """

    @Test func noSecretAppearsInTheEffectiveConfiguration() throws {
        let rendered = try parse(Self.configWithSecrets).renderEffective()
        for secret in Self.secrets {
            #expect(!rendered.contains(secret))
        }
        #expect(rendered.contains("SigningKey=<masked>"))
        #expect(rendered.contains("AppAPIKey=<masked>"))
        #expect(rendered.contains("APISigningKey=<masked>"))
    }

    @Test func noSecretAppearsInDescriptionsOrDumps() throws {
        let config = try parse(Self.configWithSecrets)
        var dumped = ""
        dump(config, to: &dumped)
        let texts = [
            "\(config)", String(describing: config), String(reflecting: config), dumped,
            "\(config.authy)", "\(config.webhooks)", String(reflecting: config.webhooks[0]),
        ]
        for text in texts {
            for secret in Self.secrets {
                #expect(!text.contains(secret), "a secret leaked into: \(text.prefix(60))…")
            }
        }
        #expect(String(describing: config.authy).contains("<masked>"))
    }

    @Test func unsetSecretsRenderEmpty() {
        let rendered = DaemonConfiguration.default.renderEffective()
        #expect(rendered.contains("\nAppAPIKey=\n"))
        #expect(!rendered.contains("=<masked>"))
    }

    @Test func theRenderingListsEveryKnownKey() throws {
        let rendered = try parse("[Webhook]\nName=w\n[Forward]\nName=a\nURL=http://127.0.0.1:1/\n[Forward]\nName=b\nExec=/bin/true\n").renderEffective()
        for (_, keys) in DaemonConfiguration.knownKeys {
            for key in keys {
                #expect(rendered.contains("\n\(key)="), "\(key)= missing from the effective configuration")
            }
        }
    }

    @Test func withoutSecretsTheRenderingParsesBackToTheSameSettings() throws {
        let original = try parse("""
            [Receiver]
            Listen=0.0.0.0:9000
            Listen=[::1]:9001
            Path=/in
            PublicURL=https://hooks.example.com/in
            MaxBodySize=1536
            MaxHeaderSize=8K
            ReadTimeout=1min 30s
            IdleTimeout=750ms
            MaxConnections=10
            MaxPendingWrites=20
            RetiredKeyGrace=0
            [Store]
            Database=var/x.sqlite3
            Synchronous=normal
            BusyTimeout=2s
            Retention=90d
            [Control]
            Socket=var/c.sock
            SocketMode=0600
            SocketGroup=readers
            AdminGroup=admins
            MaxBodySize=1M
            ReadTimeout=3s
            MaxHeaderSize=8K
            IdleTimeout=2min
            MaxConnections=8
            [Authy]
            APIURL=http://127.0.0.1:9099
            RequestTimeout=4s
            [Log]
            Level=warning
            [Webhook]
            Name=managed
            URL=https://hooks.example.com/in
            Events=user_added token_verified
            """)
        let reparsed = try DaemonConfiguration.parse([(name: "rendered.conf", text: original.renderEffective())])
        #expect(reparsed.receiver == original.receiver)
        #expect(reparsed.store == original.store)
        #expect(reparsed.control == original.control)
        #expect(reparsed.authy == original.authy)
        #expect(reparsed.log == original.log)
        #expect(reparsed.webhooks.map { [$0.name, $0.url ?? "", $0.events.joined(separator: " ")] }
            == original.webhooks.map { [$0.name, $0.url ?? "", $0.events.joined(separator: " ")] })
    }

    @Test func warningsAndSourcesAreShownAsComments() {
        var config = DaemonConfiguration.default
        config.sourceFiles = ["/etc/a.conf", "/etc/a.conf.d/b.conf"]
        config.warnings = ["something to fix"]
        let rendered = config.renderEffective()
        #expect(rendered.contains("# Read from: /etc/a.conf, /etc/a.conf.d/b.conf"))
        #expect(rendered.contains("# Warning: something to fix"))
    }
}

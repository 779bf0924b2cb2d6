import Testing
@testable import AuthyWebhooksConfig

/// One `Key=Value` in a section and what it must produce.
struct GoodValue: Sendable, CustomTestStringConvertible {
    var section: String
    var key: String
    var value: String
    var check: @Sendable (DaemonConfiguration) -> Bool

    init(_ section: String, _ key: String, _ value: String, _ check: @escaping @Sendable (DaemonConfiguration) -> Bool) {
        self.section = section
        self.key = key
        self.value = value
        self.check = check
    }

    var testDescription: String { "[\(section)] \(key)=\(value)" }
}

@Suite struct KeyValueTests {
    static let goodValues: [GoodValue] = [
        GoodValue("Receiver", "Listen", "0.0.0.0:9000") { $0.receiver.listen == [ListenAddress(host: "0.0.0.0", port: 9000)] },
        GoodValue("Receiver", "Listen", "[::1]:0") { $0.receiver.listen == [ListenAddress(host: "::1", port: 0)] },
        GoodValue("Receiver", "Listen", "localhost:8081") { $0.receiver.listen == [ListenAddress(host: "localhost", port: 8081)] },
        GoodValue("Receiver", "Path", "/hooks/authy") { $0.receiver.path == "/hooks/authy" },
        GoodValue("Receiver", "Path", "/") { $0.receiver.path == "/" },
        GoodValue("Receiver", "PublicURL", "https://hooks.example.com/authy/webhook") {
            $0.receiver.publicURL == "https://hooks.example.com/authy/webhook"
        },
        GoodValue("Receiver", "PublicURL", "http://127.0.0.1:8080/authy/webhook?x=1") {
            $0.receiver.publicURL == "http://127.0.0.1:8080/authy/webhook?x=1"
        },
        GoodValue("Receiver", "PublicURL", "") { $0.receiver.publicURL == nil },
        GoodValue("Receiver", "MaxBodySize", "1M") { $0.receiver.maxBodySize == 1 << 20 },
        GoodValue("Receiver", "MaxBodySize", "1K") { $0.receiver.maxBodySize == 1024 },
        GoodValue("Receiver", "MaxBodySize", "16M") { $0.receiver.maxBodySize == 16 << 20 },
        GoodValue("Receiver", "MaxBodySize", "2048") { $0.receiver.maxBodySize == 2048 },
        GoodValue("Receiver", "MaxHeaderSize", "32K") { $0.receiver.maxHeaderSize == 32 << 10 },
        GoodValue("Receiver", "ReadTimeout", "500ms") { $0.receiver.readTimeout == .milliseconds(500) },
        GoodValue("Receiver", "ReadTimeout", "1min 30s") { $0.receiver.readTimeout == .seconds(90) },
        GoodValue("Receiver", "IdleTimeout", "5min") { $0.receiver.idleTimeout == .seconds(300) },
        GoodValue("Receiver", "IdleTimeout", "20") { $0.receiver.idleTimeout == .seconds(20) },
        GoodValue("Receiver", "MaxConnections", "2000") { $0.receiver.maxConnections == 2000 },
        GoodValue("Receiver", "MaxPendingWrites", "1") { $0.receiver.maxPendingWrites == 1 },
        GoodValue("Receiver", "RetiredKeyGrace", "2h") { $0.receiver.retiredKeyGrace == .seconds(7200) },
        GoodValue("Receiver", "RetiredKeyGrace", "0") { $0.receiver.retiredKeyGrace == .zero },
        GoodValue("Store", "Database", "var/events.sqlite3") { $0.store.database == "var/events.sqlite3" },
        GoodValue("Store", "Synchronous", "normal") { $0.store.synchronous == .normal },
        GoodValue("Store", "Synchronous", "FULL") { $0.store.synchronous == .full },
        GoodValue("Store", "BusyTimeout", "250ms") { $0.store.busyTimeout == .milliseconds(250) },
        GoodValue("Store", "BusyTimeout", "0") { $0.store.busyTimeout == .zero },
        GoodValue("Store", "Retention", "90d") { $0.store.retention == .seconds(90 * 86_400) },
        GoodValue("Store", "Retention", "0") { $0.store.retention == nil },
        GoodValue("Control", "Socket", "/tmp/x/control.sock") { $0.control.socket == "/tmp/x/control.sock" },
        GoodValue("Control", "SocketMode", "0600") { $0.control.socketMode == 0o600 },
        GoodValue("Control", "SocketMode", "666") { $0.control.socketMode == 0o666 },
        GoodValue("Control", "SocketGroup", "authy-readers") { $0.control.socketGroup == "authy-readers" },
        GoodValue("Control", "SocketGroup", "1001") { $0.control.socketGroup == "1001" },
        GoodValue("Control", "SocketGroup", "") { $0.control.socketGroup == nil },
        GoodValue("Control", "AdminGroup", "wheel") { $0.control.adminGroup == "wheel" },
        GoodValue("Control", "AdminGroup", "") { $0.control.adminGroup == nil },
        GoodValue("Control", "MaxBodySize", "128K") { $0.control.maxBodySize == 128 << 10 },
        GoodValue("Control", "ReadTimeout", "30s") { $0.control.readTimeout == .seconds(30) },
        GoodValue("Control", "MaxHeaderSize", "8K") { $0.control.maxHeaderSize == 8 << 10 },
        GoodValue("Control", "IdleTimeout", "5min") { $0.control.idleTimeout == .seconds(300) },
        GoodValue("Control", "MaxConnections", "16") { $0.control.maxConnections == 16 },
        GoodValue("Authy", "APIURL", "http://127.0.0.1:9099") { $0.authy.apiURL == "http://127.0.0.1:9099" },
        GoodValue("Authy", "APIURL", "https://api.authy.com/") { $0.authy.apiURL == "https://api.authy.com" },
        GoodValue("Authy", "AppAPIKey", "app-key") { $0.authy.appAPIKey == "app-key" },
        GoodValue("Authy", "AccessKey", "access-key") { $0.authy.accessKey == "access-key" },
        GoodValue("Authy", "APISigningKey", "signing-key") { $0.authy.apiSigningKey == "signing-key" },
        GoodValue("Authy", "AppAPIKey", "") { $0.authy.appAPIKey == nil },
        GoodValue("Authy", "RequestTimeout", "3s") { $0.authy.requestTimeout == .seconds(3) },
        GoodValue("Log", "Level", "debug") { $0.log.level == .debug },
        GoodValue("Log", "Level", "Critical") { $0.log.level == .critical },
    ]

    @Test(arguments: goodValues)
    func goodValueApplies(_ good: GoodValue) throws {
        let config = try parse("[\(good.section)]\n\(good.key)=\(good.value)\n")
        #expect(good.check(config))
    }

    @Test func everyLogLevelParses() throws {
        for level in LogLevelSetting.allCases {
            #expect(try parse("[Log]\nLevel=\(level.rawValue)\n").log.level == level)
        }
    }

    static let badValues: [(String, String, String)] = [
        ("Receiver", "Listen", "127.0.0.1"),
        ("Receiver", "Listen", "::1:8080"),
        ("Receiver", "Listen", "127.0.0.1:99999"),
        ("Receiver", "Path", "authy/webhook"),
        ("Receiver", "Path", ""),
        ("Receiver", "Path", "/a b"),
        ("Receiver", "Path", "/a?b=1"),
        ("Receiver", "Path", "/healthz"),
        ("Receiver", "PublicURL", "ftp://example.com/x"),
        ("Receiver", "PublicURL", "example.com/authy"),
        ("Receiver", "PublicURL", "https://user:pw@example.com/"),
        ("Receiver", "PublicURL", "https://example.com/#frag"),
        ("Receiver", "PublicURL", "https:///nohost"),
        ("Receiver", "PublicURL", "https://example.com:0/"),
        ("Receiver", "MaxBodySize", "512"),
        ("Receiver", "MaxBodySize", "17M"),
        ("Receiver", "MaxBodySize", "64Q"),
        ("Receiver", "MaxBodySize", ""),
        ("Receiver", "MaxHeaderSize", "2M"),
        ("Receiver", "ReadTimeout", "0"),
        ("Receiver", "ReadTimeout", "ten seconds"),
        ("Receiver", "ReadTimeout", "-1s"),
        ("Receiver", "IdleTimeout", "0s"),
        ("Receiver", "IdleTimeout", ""),
        ("Receiver", "MaxConnections", "0"),
        ("Receiver", "MaxConnections", "-5"),
        ("Receiver", "MaxConnections", "+5"),
        ("Receiver", "MaxConnections", "5.5"),
        ("Receiver", "MaxConnections", "99999999999999999999999"),
        ("Receiver", "MaxPendingWrites", "0"),
        ("Receiver", "MaxPendingWrites", "1000001"),
        ("Receiver", "RetiredKeyGrace", "soon"),
        ("Store", "Database", ""),
        ("Store", "Synchronous", "off"),
        ("Store", "Synchronous", "extra"),
        ("Store", "BusyTimeout", "2h"),
        ("Store", "BusyTimeout", "5 parsecs"),
        ("Store", "Retention", "forever"),
        ("Store", "Retention", "-1d"),
        ("Control", "Socket", ""),
        ("Control", "Socket", "/" + String(repeating: "s", count: 107)),
        ("Control", "SocketMode", "0888"),
        ("Control", "SocketMode", "rw-rw----"),
        ("Control", "SocketMode", "01777"),
        ("Control", "SocketMode", ""),
        ("Control", "SocketGroup", "bad group"),
        ("Control", "SocketGroup", "-dash"),
        ("Control", "AdminGroup", "grp/with/slashes"),
        ("Control", "AdminGroup", String(repeating: "g", count: 33)),
        ("Control", "MaxBodySize", "100"),
        ("Control", "ReadTimeout", "0"),
        ("Control", "MaxHeaderSize", "512"),
        ("Control", "IdleTimeout", "0"),
        ("Control", "MaxConnections", "0"),
        ("Control", "MaxConnections", "70000"),
        ("Authy", "APIURL", "api.authy.com"),
        ("Authy", "APIURL", "https://api.authy.com/protected/json"),
        ("Authy", "APIURL", "https://api.authy.com?x=1"),
        ("Authy", "APIURL", ""),
        ("Authy", "RequestTimeout", "0"),
        ("Log", "Level", "verbose"),
        ("Log", "Level", ""),
    ]

    @Test(arguments: badValues)
    func badValueNamesFileAndLine(section: String, key: String, value: String) {
        let error = parseError("# line 1\n[\(section)]\n\(key)=\(value)\n")
        #expect(error?.code == "config_invalid_value")
        #expect(error?.line == 3)
        #expect(error?.description.hasPrefix("test.conf:3: invalid \(key)= value") == true)
    }

    @Test(arguments: ["AppAPIKey", "AccessKey", "APISigningKey"])
    func badSecretIsReportedWithoutItsValue(key: String) {
        let error = parseError("[Authy]\n\(key)=top secret value\n")
        #expect(error?.code == "config_invalid_value")
        #expect(error?.line == 2)
        #expect(error?.description.contains("secret") == false)
    }

    @Test func listenAccumulatesAndEmptyResets() throws {
        let config = try parse("""
            [Receiver]
            Listen=127.0.0.1:1
            Listen=[::1]:2
            """)
        #expect(config.receiver.listen.map(\.description) == ["127.0.0.1:1", "[::1]:2"])

        let reset = try parse("""
            [Receiver]
            Listen=127.0.0.1:1
            Listen=
            Listen=127.0.0.1:3
            """)
        #expect(reset.receiver.listen.map(\.description) == ["127.0.0.1:3"])
    }

    @Test func listenResetToNothingFallsBackToTheDefault() throws {
        let config = try parse("[Receiver]\nListen=127.0.0.1:1\nListen=\n")
        #expect(config.receiver.listen == ReceiverSettings.default.listen)
    }

    @Test func duplicateListenAddressNamesBothLines() {
        let error = parseError("[Receiver]\nListen=127.0.0.1:5000\nListen=127.0.0.1:5000\n")
        #expect(error?.code == "config_duplicate")
        #expect(error?.line == 3)
        #expect(error?.message.contains("test.conf:2") == true)
    }

    @Test func knownKeysListsEverySectionInReferenceOrder() {
        #expect(DaemonConfiguration.knownKeys.map(\.section) == ["Receiver", "Store", "Control", "Authy", "Log", "Webhook", "Forward"])
        let receiver = DaemonConfiguration.knownKeys.first { $0.section == "Receiver" }?.keys
        #expect(receiver?.contains("RetiredKeyGrace") == true)
    }

    @Test func everyKnownKeyHasAGoodValueTest() {
        let tested = Set(Self.goodValues.map { "\($0.section).\($0.key)" })
        for (section, keys) in DaemonConfiguration.knownKeys where section != "Webhook" && section != "Forward" {  // both: ForwardSectionTests, WebhookSectionTests
            for key in keys {
                #expect(tested.contains("\(section).\(key)"), "no good-value test for [\(section)] \(key)=")
            }
        }
    }
}

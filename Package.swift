// swift-tools-version:6.1
// authy-webhooksd: receive, keep and manage Authy webhooks on a systemd machine.
//
// One module per concern (see README.md, "Layout"). `authyctl` links neither Hummingbird nor GRDB:
// it depends only on AuthyCtl → ControlProtocol (Foundation) → TimeUnits and AsyncHTTPClient.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "authy-webhooksd",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "authy-webhooksd", targets: ["authy-webhooksd"]),
        .executable(name: "authyctl", targets: ["authyctl"]),
        .executable(name: "authy-fake-api", targets: ["authy-fake-api"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        // MARK: Executables: a few lines each over the libraries below.
        .executableTarget(
            name: "authy-webhooksd",
            dependencies: ["AuthyWebhooksDaemon"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "authyctl",
            dependencies: ["AuthyCtl"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "authy-fake-api",
            dependencies: ["FakeAuthyAPI"],
            swiftSettings: swiftSettings
        ),

        // MARK: Libraries
        /// HS256 JWT verification of webhook deliveries and envelope (JSON/form/bare) extraction.
        .target(
            name: "WebhookVerification",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        /// Signed client of the Authy webhooks API (create/list/delete) and the event-name catalogue.
        .target(
            name: "AuthyAPI",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        /// A local stand-in for Authy's webhooks API that checks signatures independently (tests, README walk-through).
        .target(
            name: "FakeAuthyAPI",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The configuration file: systemd-style INI with drop-ins, validated into typed settings.
        .target(
            name: "AuthyWebhooksConfig",
            dependencies: ["TimeUnits"],
            swiftSettings: swiftSettings
        ),
        /// systemd.time(7)'s unit table, shared by config time spans and authyctl's time expressions. No dependencies.
        .target(name: "TimeUnits", swiftSettings: swiftSettings),
        /// Versioned SQL migrations, embedded into the binary.
        .target(
            name: "Migrations",
            path: "Migrations",
            resources: [.embedInCode("V0001__initial.sql"), .embedInCode("V0002__forwarding.sql")],
            swiftSettings: swiftSettings
        ),
        /// The event store: deliveries, events and the webhook registry. SQLite through GRDB today.
        .target(
            name: "EventStore",
            dependencies: [
                "Migrations",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        /// Wire types of the control socket, shared by the daemon and authyctl. Foundation only.
        .target(
            name: "ControlProtocol",
            dependencies: ["TimeUnits"],
            swiftSettings: swiftSettings
        ),
        /// stdout and stderr through write(2): a closed pipe ends a program like cat, a failed write is exit 74.
        .target(name: "StandardStreams", swiftSettings: swiftSettings),
        /// libsystemd as a system library: the journal API (sd_journal_sendv). Readiness is the notify datagram protocol.
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        /// glibc's spawn and pipe extensions (need _GNU_SOURCE, absent from Swift's Glibc module), for Exec= targets.
        .target(name: "CSpawn"),
        /// Readiness/status/watchdog notifications (sd_notify protocol) and a journald log handler over CSystemd.
        .target(
            name: "SystemdSupport",
            dependencies: [
                "CSystemd", "StandardStreams",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The daemon: receiver and control-socket applications, services and start-up.
        .target(
            name: "AuthyWebhooksDaemon",
            dependencies: [
                "AuthyAPI", "WebhookVerification", "EventStore", "ControlProtocol",
                "AuthyWebhooksConfig", "SystemdSupport", "StandardStreams", "CSpawn",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        /// authyctl's commands; talks to the daemon over its Unix socket.
        .target(
            name: "AuthyCtl",
            dependencies: [
                "ControlProtocol", "StandardStreams",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests: one target per library.
        .testTarget(name: "WebhookVerificationTests", dependencies: [
            "WebhookVerification", .product(name: "_CryptoExtras", package: "swift-crypto"),
        ], resources: [.copy("Corpus")], swiftSettings: swiftSettings),
        .testTarget(name: "AuthyAPITests", dependencies: ["AuthyAPI", "FakeAuthyAPI"], swiftSettings: swiftSettings),
        .testTarget(name: "AuthyWebhooksConfigTests", dependencies: ["AuthyWebhooksConfig"], swiftSettings: swiftSettings),
        .testTarget(name: "EventStoreTests", dependencies: [
            "EventStore", "Migrations", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: swiftSettings),
        .testTarget(name: "ControlProtocolTests", dependencies: ["ControlProtocol", "TimeUnits"], swiftSettings: swiftSettings),
        .testTarget(name: "SystemdSupportTests", dependencies: ["SystemdSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "StandardStreamsTests", dependencies: ["StandardStreams"], swiftSettings: swiftSettings),
        .testTarget(name: "AuthyWebhooksDaemonTests", dependencies: [
            "AuthyWebhooksDaemon", "FakeAuthyAPI", "EventStore", "AuthyWebhooksConfig", "ControlProtocol", "SystemdSupport",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ],
        // Read from the source tree (#filePath) by the corpus tests, next to its generator script.
        exclude: ["Corpus", "Forwarding/forward_sink.py"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)

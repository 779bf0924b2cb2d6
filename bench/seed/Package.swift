// swift-tools-version:6.1
// bench-seed: fills a database with N events through SQLiteEventStore's public API (bench/query.sh, bench/start.sh).
//
// A package of its own because the root package exports only executables: EventStore and Migrations are
// compiled here from symlinks to the real sources (Sources/EventStore -> ../../../Sources/EventStore,
// Migrations -> ../../Migrations), which cannot sit in bench/Package.swift next to `.package(path: "..")` (two
// targets of one name in one package graph).
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "authy-webhooksd-bench-seed",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        .target(name: "Migrations", path: "Migrations", resources: [.embedInCode("V0001__initial.sql"), .embedInCode("V0002__forwarding.sql")], swiftSettings: swiftSettings),
        .target(name: "EventStore", dependencies: ["Migrations", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: swiftSettings),
        .executableTarget(
            name: "bench-seed",
            dependencies: ["EventStore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

// swift-tools-version:6.1
// Benchmarks of authy-webhooksd (issue 7): bench-only executables, kept out of the root package so CI never
// builds them. The project's own executables are built from here too (`--product authy-webhooksd`), so one
// release build folder (bench/.build) holds everything a run needs. See bench/run-all.sh.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "authy-webhooksd-bench",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        /// A bare Hummingbird POST handler that answers 200 and does nothing: the HTTP limit of the machine.
        .executableTarget(
            name: "bench-bare-server",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        /// Writes N distinct, correctly signed HS256 delivery bodies for a key and URL.
        .executableTarget(
            name: "bench-tokens",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

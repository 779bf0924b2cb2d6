import Foundation
import Testing
@testable import AuthyWebhooksConfig

/// Parses one file named `test.conf`.
func parse(_ text: String, environment: [String: String] = [:]) throws(ConfigurationError) -> DaemonConfiguration {
    try DaemonConfiguration.parse([(name: "test.conf", text: text)], environment: environment)
}

/// The error parsing `files` throws, or nil (and a recorded issue) when it parses.
func parseError(_ files: [(name: String, text: String)], environment: [String: String] = [:],
                sourceLocation: SourceLocation = #_sourceLocation) -> ConfigurationError? {
    do {
        _ = try DaemonConfiguration.parse(files, environment: environment)
        Issue.record("expected a configuration error", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

/// The error parsing one `test.conf` throws.
func parseError(_ text: String, environment: [String: String] = [:],
                sourceLocation: SourceLocation = #_sourceLocation) -> ConfigurationError? {
    parseError([(name: "test.conf", text: text)], environment: environment, sourceLocation: sourceLocation)
}

/// Runs `body` with a fresh directory that is removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("authy-webhooks-config-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Writes `text` to `path` with permission bits `mode`.
func write(_ text: String, to path: String, mode: Int = 0o600) throws {
    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                            withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
}

/// The error loading `path` throws, or nil (and a recorded issue) when it loads.
func loadError(_ path: String, environment: [String: String] = [:],
               sourceLocation: SourceLocation = #_sourceLocation) -> ConfigurationError? {
    do {
        _ = try DaemonConfiguration.load(path: path, environment: environment)
        Issue.record("expected a configuration error", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}

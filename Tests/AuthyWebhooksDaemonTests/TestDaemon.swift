import AsyncHTTPClient
@testable import AuthyWebhooksDaemon
import AuthyWebhooksConfig
import ControlProtocol
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// A temp directory removed when the test's scope ends.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        // Short: a Unix socket path must fit in 107 bytes.
        path = "/tmp/awd-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// Log lines the daemon wrote during a test, so tests can assert on them (and that no secret is in them).
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }

    var logger: Logger {
        Logger(label: "authy-webhooksd-test") { _ in CapturingLogHandler(log: self) }
    }
}

struct CapturingLogHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = (event.metadata ?? [:]).merging(metadata) { a, _ in a }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        log.append("\(event.level) \(event.message) \(fields.joined(separator: " "))")
    }
}

/// Signing keys used throughout the tests.
enum TestKeys {
    static let main = "WSK_test_main_signing_key_0123456789"
    static let other = "WSK_test_other_signing_key"
}

/// A running daemon and the means to talk to it.
struct RunningDaemon: Sendable {
    let endpoints: DaemonEndpoints
    let directory: TemporaryDirectory
    let http: HTTPClient
    let log: CapturedLog
    let runtime: DaemonRuntime

    var databasePath: String { directory.file("db.sqlite3") }

    /// POSTs a body to the delivery path; returns the status and the decoded JSON body.
    func post(_ body: String, contentType: String? = "application/json", path: String? = nil, method: HTTPMethod = .POST, headers: [(String, String)] = []) async throws -> (status: Int, json: [String: Any]) {
        let url = path.map { "http://\(endpoints.receivers[0])\($0)" } ?? endpoints.deliveryURL
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if method == .POST { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await http.execute(request, timeout: .seconds(30))
        let data = try await response.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(data.readableBytesView))) as? [String: Any] ?? [:]
        return (Int(response.status.code), json)
    }

    /// The error code of an error answer.
    static func code(_ json: [String: Any]) -> String? {
        (json["error"] as? [String: Any])?["code"] as? String
    }
}

/// Mints tokens signed like Authy's.
enum Tokens {
    static func events(_ types: [String], requestPrefix: String = "req", url: String = "https://example.com/authy/webhook", extraClaims: String = "") -> String {
        let items = types.enumerated().map { index, type in
            "{\"event\":\"\(type)\",\"objects\":{},\"request\":{\"id\":\"\(requestPrefix)_\(index)\",\"ip\":\"203.0.113.7\"},\"time\":\"2026-11-29T10:00:0\(index % 10)Z\"}"
        }
        return "{\"url\":\"\(url)\",\"params\":{\"events\":[\(items.joined(separator: ","))]},\"iat\":1795940000\(extraClaims)}"
    }

    static func signed(_ types: [String] = ["user_added"], key: String = TestKeys.main, requestPrefix: String = UUID().uuidString, extraClaims: String = "", url: String = "https://example.com/authy/webhook") -> String {
        WebhookTokenSigner.sign(claims: events(types, requestPrefix: requestPrefix, url: url, extraClaims: extraClaims), key: key)
    }
}

/// The main configuration file of ``withDaemon(_:directory:_:)``: loopback port 0, database and socket in `directory`.
func testConfiguration(in directory: TemporaryDirectory) -> String {
    """
    [Receiver]
    Listen=127.0.0.1:0
    [Store]
    Database=\(directory.file("db.sqlite3"))
    BusyTimeout=1s
    [Control]
    Socket=\(directory.file("control.sock"))
    [Webhook]
    Name=main
    SigningKey=\(TestKeys.main)

    """
}

/// Starts a daemon on a loopback port 0 and a temp socket, runs `body`, then stops it gracefully.
func withDaemon(
    _ extraConfiguration: String = "", directory: TemporaryDirectory? = nil,
    _ body: @Sendable (RunningDaemon) async throws -> Void
) async throws {
    let directory = try directory ?? TemporaryDirectory()
    let configuration = try DaemonConfiguration.parse([(name: directory.file("test.conf"), text: testConfiguration(in: directory)), (name: directory.file("test.conf.d/extra.conf"), text: extraConfiguration)])
    let log = CapturedLog()
    let (readyStream, readyContinuation) = AsyncStream.makeStream(of: DaemonEndpoints.self)
    let runtime = try await DaemonRuntime(
        configuration: configuration, configurationPath: nil, logger: log.logger, environment: [:],
        onReady: { readyContinuation.yield($0) })
    var httpConfiguration = HTTPClient.Configuration()
    // A request waiting for a pooled connection fails once it has waited the connect timeout (10 s by default): on a
    // loaded CI box running every suite at once, a test queueing 200 requests behind the pool must not fail for that.
    httpConfiguration.timeout.connect = .seconds(60)
    httpConfiguration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
    let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await runtime.run() }
        var iterator = readyStream.makeAsyncIterator()
        guard let endpoints = await iterator.next() else { throw CancellationError() }
        let daemon = RunningDaemon(endpoints: endpoints, directory: directory, http: http, log: log, runtime: runtime)
        var failure: (any Error)?
        do {
            try await body(daemon)
        } catch {
            failure = error
        }
        await runtime.shutdown()
        try await group.waitForAll()
        try await http.shutdown()
        if let failure { throw failure }
    }
}

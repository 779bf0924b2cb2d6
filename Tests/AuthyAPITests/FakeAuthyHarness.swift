import AsyncHTTPClient
import AuthyAPI
import FakeAuthyAPI
import Testing

/// Distinctive keys, so a test can look for them in any text the client produces.
enum TestKeys {
    static let appAPIKey = "app-key-Q7f3aZ"
    static let accessKey = "access-key-W91ccX"
    static let apiSigningKey = "signing-key-K55d0Y"
}

/// Short waits so retry tests stay quick; Retry-After (capped at 3 s) still applies as given.
extension RetryPolicy {
    static let fast = RetryPolicy(attempts: 3, baseDelay: .milliseconds(20), maxDelay: .seconds(3))
}

/// A running fake on a loopback ephemeral port and what a test needs to talk to it.
struct FakeAuthy {
    let state: FakeAuthyState
    let port: Int
    let httpClient: HTTPClient

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// A client of the fake; by default with the fake's own keys.
    func client(
        apiSigningKey: String = TestKeys.apiSigningKey,
        appAPIKey: String = TestKeys.appAPIKey,
        baseURL: String? = nil,
        requestTimeout: Duration = .seconds(5),
        retryPolicy: RetryPolicy = .fast
    ) -> AuthyWebhooksClient {
        AuthyWebhooksClient(
            baseURL: baseURL ?? self.baseURL,
            credentials: AuthyCredentials(appAPIKey: appAPIKey, accessKey: TestKeys.accessKey, apiSigningKey: apiSigningKey),
            httpClient: httpClient,
            requestTimeout: requestTimeout,
            retryPolicy: retryPolicy
        )
    }
}

/// Runs `body` against a fresh fake bound to 127.0.0.1 on a free port, then stops the fake and shuts the HTTP client
/// down, whether `body` succeeded or not.
func withFakeAuthy<T>(_ body: (FakeAuthy) async throws -> T) async throws -> T {
    let state = FakeAuthyState(
        appAPIKey: TestKeys.appAPIKey, accessKey: TestKeys.accessKey, apiSigningKey: TestKeys.apiSigningKey)
    let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = FakeAuthyServer.buildApplication(state: state, port: 0) { port in
        portContinuation.yield(port)
    }
    let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
    let outcome: Result<T, any Error> = await withTaskGroup(of: Void.self) { group in
        group.addTask { try? await app.run() }
        defer { group.cancelAll() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            return .failure(FakeDidNotStart())
        }
        do {
            return .success(try await body(FakeAuthy(state: state, port: port, httpClient: httpClient)))
        } catch {
            return .failure(error)
        }
    }
    try await httpClient.shutdown()
    return try outcome.get()
}

struct FakeDidNotStart: Error {}

/// Runs `operation` and returns the `AuthyAPIError` it throws; records an issue if it succeeds or throws anything else.
func expectAuthyError<T>(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ operation: () async throws -> T
) async -> AuthyAPIError? {
    do {
        let value = try await operation()
        Issue.record("expected an AuthyAPIError, got \(value)", sourceLocation: sourceLocation)
        return nil
    } catch let error as AuthyAPIError {
        return error
    } catch {
        Issue.record("expected an AuthyAPIError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

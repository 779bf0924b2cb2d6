import ArgumentParser
import Foundation
import Hummingbird

/// `authy-fake-api`: runs the fake Authy webhooks API until SIGINT or SIGTERM.
public struct FakeAuthyAPICommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "authy-fake-api",
        abstract: "A local fake of Authy's webhooks API, for tests and trying authy-webhooksd without an Authy account.",
        discussion: """
            Serves the three calls of Authy's webhooks API (create, list, delete \
            under /dashboard/json/application/webhooks) over plain HTTP and keeps \
            webhooks in memory. Like Authy, it checks app_api_key and access_key in \
            the form-encoded body (401 "Invalid API key") and the X-Authy-Signature \
            HMAC-SHA256 over nonce|METHOD|http://<Host header><path>|<sorted \
            form-encoded parameters>, keyed with the API signing key (401 "Invalid \
            signature"). A created webhook gets a fresh WSK_ signing key. State \
            lives in memory and is lost when the process stops.

            Point authy-webhooksd at it in its configuration:
              [Authy]
              APIURL=http://127.0.0.1:9099
              AppAPIKey=dev-app-api-key
              AccessKey=dev-access-key
              APISigningKey=dev-api-signing-key

            Admin routes (no keys needed: it is a fake):
              GET  /__fake/webhooks   every webhook, signing keys included
              POST /__fake/webhooks   add one as if made in the Twilio console
              POST /__fake/failures   fail the next API calls, in order
              GET  /__fake/requests   what arrived, with signature_valid
            A failure is {"status":N,"message":"…","retry_after":"S"} (answer N),
            {"delay_ms":N} (answer N ms late) or {"malformed":true} (broken JSON).

            Examples:
              curl -d '{"name":"n","url":"https://example.com/h",
                        "events":["user_added"]}' \\
                   http://127.0.0.1:9099/__fake/webhooks
              curl -d '[{"status":503,"message":"Down","retry_after":"1"},
                        {"delay_ms":2000},{"malformed":true}]' \\
                   http://127.0.0.1:9099/__fake/failures
            """
    )

    @Option(help: "Address to listen on. Keep it on loopback: the fake has no TLS and its admin routes need no keys.")
    var host: String = "127.0.0.1"

    @Option(help: ArgumentHelp("Port to listen on; 0 picks a free one (the line printed at start shows which).", valueName: "port"))
    var port: Int = 9099

    @Option(name: .customLong("app-api-key"), help: "The App API Key calls must carry as app_api_key.")
    var appAPIKey: String = "dev-app-api-key"

    @Option(help: "The Access Key calls must carry as access_key.")
    var accessKey: String = "dev-access-key"

    @Option(name: .customLong("api-signing-key"), help: "The API Signing Key that calls must be signed with.")
    var apiSigningKey: String = "dev-api-signing-key"

    public init() {}

    /// The executable's entry point: parses the command line and runs.
    ///
    /// Called from a `main.swift`, `await main()` resolves to ParsableCommand's synchronous `main()`, which never
    /// runs an async `run()`; this does what AsyncParsableCommand's `main()` does, unambiguously.
    public static func runFromCommandLine() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    public func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535 (got \(port)).")
        }
        guard !appAPIKey.isEmpty, !accessKey.isEmpty, !apiSigningKey.isEmpty else {
            throw ValidationError("--app-api-key, --access-key and --api-signing-key must not be empty.")
        }
    }

    public func run() async throws {
        // Hummingbird logs its own start-up line at info level on stdout; keep stdout to the one line below unless the
        // user asked for more with LOG_LEVEL.
        if ProcessInfo.processInfo.environment["LOG_LEVEL"] == nil {
            setenv("LOG_LEVEL", "warning", 1)
        }
        let state = FakeAuthyState(appAPIKey: appAPIKey, accessKey: accessKey, apiSigningKey: apiSigningKey)
        let host = self.host
        let app = FakeAuthyServer.buildApplication(state: state, host: host, port: port) { bound in
            let shownHost = host.contains(":") ? "[\(host)]" : host
            // Written straight to the file descriptor: print() to a pipe may sit in a buffer until exit.
            FileHandle.standardOutput.write(Data("authy-fake-api listening on http://\(shownHost):\(bound)\n".utf8))
        }
        try await app.runService()
    }
}

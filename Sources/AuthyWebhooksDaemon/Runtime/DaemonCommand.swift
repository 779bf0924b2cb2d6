import ArgumentParser
import AuthyWebhooksConfig
import ControlProtocol
import Foundation
import Logging
import StandardStreams
import SystemdSupport

/// `authy-webhooksd`: the command line of the daemon.
public struct DaemonCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "authy-webhooksd",
        abstract: "Receive, verify and durably store Authy webhook deliveries.",
        discussion: """
            Listens for the HS256-signed POSTs Authy sends to a webhook's URL, verifies each with the webhook's \
            signing key, stores every event in SQLite before answering 2xx, and serves authyctl on a Unix socket.

            Configuration: systemd-style INI at --config (default \(DaemonConfiguration.defaultPath)), then every \
            PATH.d/*.conf in lexical order. See etc/authy-webhooksd.conf for every key and its default.

            Signals: SIGTERM/SIGINT stop gracefully (requests in flight are committed or refused); SIGHUP reloads \
            webhook keys, log level and limits.
            """,
        version: ControlProtocolVersion.string)

    @Option(name: .long, help: ArgumentHelp("Configuration file; drop-ins are read from PATH.d/*.conf.", valueName: "path"))
    var config: String = DaemonConfiguration.defaultPath

    @Flag(name: .long, help: "Validate the configuration, print it with secrets masked, and exit 0 (valid) or 1.")
    var checkConfig = false

    public init() {}

    /// The executable's entry point. (Calling `main()` from top-level code picks ArgumentParser's synchronous
    /// overload, which refuses an async root command; inside an async function the async one is chosen.)
    public static func start() async {
        await main(nil)
    }

    public func run() async throws {
        let configuration: DaemonConfiguration
        do {
            configuration = try DaemonConfiguration.load(path: config)
        } catch {
            StandardStreams.writeLine("\(error)", to: STDERR_FILENO)
            throw ExitCode(1)
        }
        if checkConfig {
            StandardStreams.writeResults(configuration.renderEffective(), program: "authy-webhooksd")
            for warning in configuration.warnings {
                StandardStreams.writeLine("warning: \(warning)", to: STDERR_FILENO)
            }
            StandardStreams.writeLine("configuration OK: \(configuration.sourceFiles.joined(separator: ", "))", to: STDERR_FILENO)
            return
        }
        SystemdLogging.bootstrap(identifier: "authy-webhooksd", level: Logger.Level(configuration.log.level))
        let logger = Logger(label: "authy-webhooksd")
        for warning in configuration.warnings {
            logger.warning("\(warning)")
        }
        do {
            let runtime = try await DaemonRuntime(configuration: configuration, configurationPath: config, logger: logger)
            try await runtime.run()
        } catch {
            logger.critical("cannot run: \(error)")
            throw ExitCode(1)
        }
    }
}

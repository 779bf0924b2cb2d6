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
            signing key, stores every event in SQLite before answering 2xx, hands each stored event on to the \
            [Forward] targets (an HTTP endpoint or a local command, retried until delivered or dead), and serves \
            authyctl on a Unix socket.

            Configuration: systemd-style INI at --config (default \(DaemonConfiguration.defaultPath)), then every \
            PATH.d/*.conf in lexical order. authy-webhooksd.conf(5) describes every section and key, its default \
            and whether a reload applies it.

            Signals: SIGTERM and SIGINT stop gracefully: no new forward attempt starts, requests and attempts in \
            flight are finished (attempts for up to 10 s; unfinished ones are retried after the restart), then the \
            database is closed. SIGHUP re-reads the configuration: webhook keys, forward targets, the log level and \
            most limits apply at once; a file with an error is logged and the running configuration kept.

            Under systemd (Type=notify) it sends READY=1 once the database is migrated and every listener is \
            bound, keeps STATUS= current, pings the watchdog while it can write, and logs to journald with fields:

              journalctl -u authy-webhooksd EVENT_TYPE=user_added
              journalctl -u authy-webhooksd FORWARD_RESULT=dead

            Exit status: 0 after a graceful stop or a valid --check-config, 1 when the configuration is invalid or \
            the daemon cannot run.
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

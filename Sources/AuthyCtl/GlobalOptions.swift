import ArgumentParser
import ControlProtocol
import Foundation

/// How results are printed.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Aligned columns for people.
    case table
    /// One JSON document (an array for lists).
    case json
    /// One JSON object per line, streamed.
    case jsonl
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Control socket of authy-webhooksd (env AUTHYCTL_SOCKET; default \(ControlAPI.defaultSocketPath)).", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("Output format: table, json or jsonl (default: table on a terminal, jsonl otherwise).", valueName: "format"))
    var output: OutputFormat?

    var socketPath: String {
        socket ?? ProcessInfo.processInfo.environment["AUTHYCTL_SOCKET"].flatMap { $0.isEmpty ? nil : $0 } ?? ControlAPI.defaultSocketPath
    }

    var format: OutputFormat {
        output ?? (isatty(STDOUT_FILENO) == 1 ? .table : .jsonl)
    }

    /// Runs `body` with a client, mapping every failure to one line on stderr and the right exit status.
    func withClient<T>(_ body: (ControlClient) async throws -> T) async throws -> T {
        let client = ControlClient(socketPath: socketPath)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch let error as CtlError {
            await client.shutdown()
            Terminal.error(error.message)
            throw ExitCode(error.exitCode)
        } catch {
            await client.shutdown()
            throw error
        }
    }
}

/// Runs `body`, which checks arguments only `run()` can check (times are relative to when the command runs); a
/// `ValidationError` becomes exit status 64 with the reason on stderr and where to read more. (Thrown out of
/// `run()`, ArgumentParser would print the root command's usage, which does not help.)
func validatingArguments<T>(of command: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ValidationError {
        Terminal.error("\(error.message)\nSee '\(command) --help'.")
        throw ExitCode(CtlError.usage)
    }
}

/// Parses journalctl-style times for --since/--until/--before, failing with the list of accepted forms.
func parseTime(_ text: String?, option: String) throws -> Date? {
    guard let text else { return nil }
    do {
        return try TimeExpression.parse(text)
    } catch {
        throw ValidationError("\(option): \(error.message)")
    }
}

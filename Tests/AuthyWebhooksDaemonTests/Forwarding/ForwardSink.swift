import Foundation

/// A real HTTP handler on loopback (Tests/…/forward_sink.py) that answers from a plan and records each request,
/// checking Standard Webhooks signatures with the `standardwebhooks` library from PyPI.
final class ForwardSink: @unchecked Sendable {
    struct Received: Sendable {
        var headers: [String: String]
        var body: String
        var verified: Bool?
    }

    let directory: TemporaryDirectory
    /// posix_spawn, not Foundation's Process: its waitUntilExit spins a run loop on a cooperative thread.
    let pid: pid_t
    let port: Int

    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// - Parameter plan: one answer per request, in order ("500", "503 7", "204 - 3" for a 3 s delay); then 204.
    init(plan: [String] = [], secret: String? = nil) async throws {
        directory = try TemporaryDirectory()
        try plan.joined(separator: "\n").write(toFile: directory.file("plan"), atomically: true, encoding: .utf8)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("forward_sink.py").path
        let argv = ["/usr/bin/env", "python3", script, directory.path] + (secret.map { [$0] } ?? [])
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, argv[0], nil, nil, cArgs, environ)
        guard spawned == 0 else { throw SinkError(description: "cannot start the forward sink: \(spawned)") }
        pid = child
        var found: Int?
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: directory.file("port"), encoding: .utf8), let number = Int(text) {
                found = number
                break
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        guard let found else {
            kill(pid, SIGKILL)
            waitpid(pid, nil, 0)
            throw SinkError(description: "the forward sink did not start")
        }
        port = found
    }

    deinit {
        // SIGKILL ends it at once, so the wait is immediate.
        kill(pid, SIGKILL)
        waitpid(pid, nil, 0)
    }

    var received: [Received] {
        guard let text = try? String(contentsOfFile: directory.file("requests.jsonl"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return Received(headers: object["headers"] as? [String: String] ?? [:], body: object["body"] as? String ?? "",
                            verified: object["verified"] as? Bool)
        }
    }

    /// Waits until at least `count` requests arrived (or `limit` passed) and returns them.
    func waitFor(_ count: Int, within limit: Duration = .seconds(20)) async throws -> [Received] {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            let now = received
            if now.count >= count { return now }
            try await Task.sleep(for: .milliseconds(50))
        }
        return received
    }

    struct SinkError: Error, CustomStringConvertible { var description: String }
}

/// Polls `condition` until it holds or `limit` passes; returns whether it held.
func eventually(within limit: Duration = .seconds(20), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}

/// Writes an executable script into `directory` and returns its path.
func script(_ name: String, in directory: TemporaryDirectory, _ body: String) throws -> String {
    let path = directory.file(name)
    try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    chmod(path, 0o755)
    return path
}

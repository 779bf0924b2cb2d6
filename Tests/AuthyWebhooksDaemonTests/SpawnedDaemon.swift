import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// The real `authy-webhooksd` binary run as a child process, for the fault tests: only a separate process can be
/// `kill -9`ed, stopped by a real SIGTERM, or measured for memory.
///
/// A dispatch thread reaps the child as soon as it exits (blocking in `wait4` on the cooperative pool would starve
/// the test process, see ``CommandRunner/run(_:environment:)``); callers poll ``exitStatus`` with `Task.sleep`.
final class SpawnedDaemon: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// How the child ended: its exit code (or 128 + signal). (Not its peak RSS from `wait4`: after posix_spawn that
    /// includes the test process's own peak; ``peakRSSKiB`` reads the child's.)
    struct Exit: Sendable {
        var status: Int32
    }

    let pid: pid_t
    let stderrPath: String
    /// `HOST:PORT` the receiver bound.
    let receiver: String
    private let exit: ExitBox

    /// The reaper thread's result, shared with the daemon object.
    private final class ExitBox: Sendable {
        let value = Mutex<Exit?>(nil)
    }

    var deliveryURL: String { "http://\(receiver)/authy/webhook" }
    var healthURL: String { "http://\(receiver)/healthz" }

    private init(pid: pid_t, stderrPath: String, receiver: String, exit: ExitBox) {
        self.pid = pid
        self.stderrPath = stderrPath
        self.receiver = receiver
        self.exit = exit
    }

    deinit { forceStop() }

    /// Writes a configuration (loopback port 0, the test key) into `directory`, starts the binary with
    /// `--config`, and returns once it logged that it is ready, with the port it bound.
    static func start(directory: String, database: String? = nil, busyTimeout: String = "2s", extraConfiguration: String = "", run: Int = 0) async throws -> SpawnedDaemon {
        let configPath = directory + "/daemon.conf"
        let configuration = """
            [Receiver]
            Listen=127.0.0.1:0
            [Store]
            Database=\(database ?? directory + "/db.sqlite3")
            BusyTimeout=\(busyTimeout)
            [Control]
            Socket=\(directory)/control.sock
            [Webhook]
            Name=main
            SigningKey=\(TestKeys.main)
            \(extraConfiguration)

            """
        // Private, as a file holding a signing key should be (the daemon warns otherwise).
        guard FileManager.default.createFile(atPath: configPath, contents: Data(configuration.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Failure(description: "cannot write \(configPath)")
        }
        let stderrPath = directory + "/daemon-\(run).err"
        let exit = ExitBox()
        let pid = try spawn([CommandRunner.binDirectory + "/authy-webhooksd", "--config", configPath], stderrPath: stderrPath)
        DispatchQueue.global().async {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            exit.value.withLock { $0 = Exit(status: code) }
        }
        // The ready line names the bound address: "… ready: receiving on 127.0.0.1:PORT at /authy/webhook, …".
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let log = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            if let range = log.range(of: "ready: receiving on ") {
                let rest = log[range.upperBound...]
                if let end = rest.range(of: " at ") {
                    return SpawnedDaemon(pid: pid, stderrPath: stderrPath, receiver: String(rest[..<end.lowerBound]), exit: exit)
                }
            }
            if let ended = exit.value.withLock({ $0 }) {
                throw Failure(description: "authy-webhooksd exited with \(ended.status) before it was ready:\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(pid, SIGKILL)
        throw Failure(description: "authy-webhooksd did not become ready within 60 s")
    }

    private static func spawn(_ argv: [String], stderrPath: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stderrPath + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Logs go to the file (not the journal), and no readiness datagram to a supervisor of the test run.
        let env = ProcessInfo.processInfo.environment.filter { !["NOTIFY_SOCKET", "JOURNAL_STREAM", "WATCHDOG_USEC", "WATCHDOG_PID"].contains($0.key) }
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArgs, cEnv)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        return pid
    }

    /// The exit, once the child has been reaped.
    var exitStatus: Exit? { exit.value.withLock { $0 } }

    /// Whether the process is still running (not yet reaped).
    var isRunning: Bool { exitStatus == nil }

    func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits (polling, never blocking a cooperative thread) until the child has exited, at most `limit`.
    func waitForExit(within limit: Duration = .seconds(30)) async throws -> Exit? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let exit = exitStatus { return exit }
            try await Task.sleep(for: .milliseconds(20))
        }
        return exitStatus
    }

    /// Peak resident set size so far (`VmHWM` of /proc/PID/status), in KiB.
    var peakRSSKiB: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    /// How many sockets the daemon has open (listeners and connections), from /proc/PID/fd.
    var openSockets: Int {
        let directory = "/proc/\(pid)/fd"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.filter { entry in
            ((try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + entry)) ?? "").hasPrefix("socket:")
        }.count
    }

    /// Everything the daemon logged so far.
    var log: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Cleanup on every path (failures included): SIGKILL if still running; the reaper thread collects it.
    func forceStop() {
        if isRunning { kill(pid, SIGKILL) }
    }
}

/// What a client saw for one delivery.
enum DeliveryAnswer: Sendable, Hashable {
    /// A 2xx: the daemon says it is stored.
    case acknowledged
    /// An HTTP answer that is not 2xx, with its error code.
    case refused(status: Int, code: String)
    /// No HTTP answer at all (connection refused or reset: the daemon died or stopped).
    case noAnswer

    var isAcknowledged: Bool { self == .acknowledged }
}

/// Helpers to talk to a ``SpawnedDaemon`` over HTTP.
enum FaultClient {
    /// An HTTP client allowed `connections` concurrent connections to the daemon.
    static func make(connections: Int = 8) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connections
        // A dead daemon's port refuses connections; the client retries connecting until this deadline, so it is
        // short. (Connecting to a live loopback listener completes in the kernel, however busy the daemon is.)
        configuration.timeout = .init(connect: .seconds(2), read: .seconds(60))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// POSTs `{"body":"TOKEN"}` to `url`.
    static func deliver(_ token: String, to url: String, http: HTTPClient) async -> DeliveryAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: "{\"body\":\"\(token)\"}"))
        do {
            let response = try await http.execute(request, timeout: .seconds(60))
            let data = try await response.body.collect(upTo: 1 << 20)
            let status = Int(response.status.code)
            if (200..<300).contains(status) { return .acknowledged }
            let json = (try? JSONSerialization.jsonObject(with: Data(data.readableBytesView))) as? [String: Any] ?? [:]
            return .refused(status: status, code: RunningDaemon.code(json) ?? "-")
        } catch {
            return .noAnswer
        }
    }

    /// GET /healthz: the status, or nil without an answer.
    static func health(_ daemon: SpawnedDaemon, http: HTTPClient) async -> Int? {
        do {
            let response = try await http.execute(HTTPClientRequest(url: daemon.healthURL), timeout: .seconds(60))
            _ = try await response.body.collect(upTo: 1 << 20)
            return Int(response.status.code)
        } catch {
            return nil
        }
    }

    /// A distinct delivery (one event, request ID `id`) signed with the test key; `padding` bytes of filler in the
    /// claims make it larger (the disk-full test wants the database to grow quickly).
    static func token(_ id: String, padding: Int = 0) -> String {
        let extra = padding > 0 ? ",\"pad\":\"\(String(repeating: "p", count: padding))\"" : ""
        return Tokens.signed(requestPrefix: id, extraClaims: extra)
    }

    /// Raises this process's open-file limit to its hard limit (the spawned daemon inherits it): several hundred
    /// concurrent connections need more than the usual soft limit of 1024 on both ends.
    static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}

import CSpawn
import Foundation
import Synchronization

/// `Exec=`: runs the program once per attempt, without a shell, with the event on stdin (never in argv: a large
/// event must not hit "argument list too long"), a plain environment and its own process group. Exit status 0
/// delivers, 65 (`EX_DATAERR`) refuses, anything else is retried. Past the timeout the group gets SIGTERM, then
/// SIGKILL 5 s later.
struct ExecForwardTarget: ForwardTarget {
    let arguments: [String]
    /// Between SIGTERM and SIGKILL.
    var killGrace: Duration = .seconds(5)

    static let plainPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    init(arguments: [String]) {
        self.arguments = arguments
        // A handler that closes stdin early must not end the daemon with SIGPIPE: the write fails with EPIPE instead.
        signal(SIGPIPE, SIG_IGN)
    }

    func attempt(_ request: ForwardRequest) async -> ForwardResponse {
        let environment = [
            "PATH=\(Self.plainPath)",
            "WEBHOOK_ID=\(request.webhookID)",
            "AUTHY_EVENT_ID=\(request.eventID)",
            "AUTHY_EVENT_TYPE=\(request.eventType)",
            "AUTHY_WEBHOOK=\(request.webhook)",
            "AUTHY_FORWARD_TARGET=\(request.target)",
            "AUTHY_FORWARD_ATTEMPT=\(request.attempt)",
        ]
        let run = ExecRun(arguments: arguments, environment: environment, input: request.body, timeout: request.timeout, killGrace: killGrace)
        // The run blocks in poll(2) and waitpid(2): a thread of its own, never one of the cooperative pool's.
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ForwardResponse, Never>) in
                let thread = Thread { continuation.resume(returning: run.execute()) }
                thread.name = "forward-exec"
                thread.start()
            }
        } onCancel: {
            run.cancel()
        }
    }
}

/// One run of a handler program, on its own thread.
final class ExecRun: Sendable {
    let arguments: [String]
    let environment: [String]
    let input: [UInt8]
    let timeout: Duration
    let killGrace: Duration
    private let cancelled = Atomic<Bool>(false)

    init(arguments: [String], environment: [String], input: [UInt8], timeout: Duration, killGrace: Duration) {
        self.arguments = arguments
        self.environment = environment
        self.input = input
        self.timeout = timeout
        self.killGrace = killGrace
    }

    /// The daemon is stopping: the program is ended as after a timeout, without waiting for the timeout.
    func cancel() { cancelled.store(true, ordering: .relaxed) }

    func execute() -> ForwardResponse {
        var stdinPipe: [Int32] = [-1, -1]
        var outputPipe: [Int32] = [-1, -1]
        guard cspawn_pipe_cloexec(&stdinPipe) == 0 else { return failure("cannot create a pipe: \(errnoText())") }
        guard cspawn_pipe_cloexec(&outputPipe) == 0 else {
            close(stdinPipe[0]); close(stdinPipe[1])
            return failure("cannot create a pipe: \(errnoText())")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 2)
        cspawn_addchdir(&actions, "/")
        // Nothing of the daemon's (database, sockets) reaches the handler, even a descriptor opened without CLOEXEC.
        cspawn_addclosefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        var noSignal = sigset_t()
        sigemptyset(&noSignal)
        // Its own process group (so a timeout ends its children too), default signal handling, nothing blocked.
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setsigmask(&attributes, &noSignal)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        var pid: pid_t = 0
        var spawned: Int32 = 0
        // ETXTBSY: another thread of this process forked while the program file was open for writing (a handler
        // being replaced, or written by a test); the child's copy of that descriptor is gone a moment later.
        for pause in [0, 10_000, 50_000, 200_000] as [UInt32] {
            if pause > 0 { usleep(pause) }
            spawned = withCStrings(arguments) { argv in
                withCStrings(environment) { envp in
                    posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
                }
            }
            if spawned != ETXTBSY { break }
        }
        close(stdinPipe[0])
        close(outputPipe[1])
        guard spawned == 0 else {
            close(stdinPipe[1]); close(outputPipe[0])
            return failure("cannot start \(arguments[0]): \(String(cString: strerror(spawned)))")
        }
        return supervise(pid: pid, stdin: stdinPipe[1], output: outputPipe[0])
    }

    private func supervise(pid: pid_t, stdin: Int32, output: Int32) -> ForwardResponse {
        _ = fcntl(stdin, F_SETFL, fcntl(stdin, F_GETFL) | O_NONBLOCK)
        _ = fcntl(output, F_SETFL, fcntl(output, F_GETFL) | O_NONBLOCK)
        var stdinFD: Int32 = input.isEmpty ? { close(stdin); return -1 }() : stdin
        var outputFD: Int32 = output
        var written = 0
        var tail = OutputTail()
        var buffer = [UInt8](repeating: 0, count: 16384)
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var terminatedAt: ContinuousClock.Instant?
        var killed = false
        var timedOut = false
        var status: Int32 = 0
        var exited = false

        while !exited {
            let now = clock.now
            if terminatedAt == nil, now >= deadline || cancelled.load(ordering: .relaxed) {
                timedOut = !cancelled.load(ordering: .relaxed)
                kill(-pid, SIGTERM)
                terminatedAt = now
            }
            if let terminatedAt, !killed, now >= terminatedAt + killGrace {
                kill(-pid, SIGKILL)
                killed = true
            }
            var fds: [pollfd] = []
            if stdinFD >= 0 { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            if outputFD >= 0 { fds.append(pollfd(fd: outputFD, events: Int16(POLLIN), revents: 0)) }
            if fds.isEmpty {
                usleep(10_000)
            } else {
                _ = poll(&fds, nfds_t(fds.count), 50)
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == stdinFD {
                    let count = input.withUnsafeBytes { raw in
                        write(stdinFD, raw.baseAddress! + written, raw.count - written)
                    }
                    if count > 0 { written += count }
                    if (count < 0 && errno != EAGAIN && errno != EINTR) || written == input.count {
                        close(stdinFD)  // EOF: the whole event was written (or the program stopped reading)
                        stdinFD = -1
                    }
                } else if entry.fd == outputFD {
                    let count = read(outputFD, &buffer, buffer.count)
                    if count > 0 {
                        tail.append(buffer[0..<count])
                    } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                        close(outputFD)
                        outputFD = -1
                    }
                }
            }
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid { exited = true }
            if reaped < 0 && errno != EINTR { exited = true }
        }
        // What the program wrote just before it ended (a child it left behind may hold the pipe: do not wait for it).
        if outputFD >= 0 {
            while true {
                let count = read(outputFD, &buffer, buffer.count)
                guard count > 0 else { break }
                tail.append(buffer[0..<count])
            }
            close(outputFD)
        }
        if stdinFD >= 0 { close(stdinFD) }
        if terminatedAt != nil { kill(-pid, SIGKILL) }  // anything of its group still running

        let output = tail.text
        let signaled = (status & 0x7F) != 0 && (status & 0x7F) != 0x7F
        if cancelled.load(ordering: .relaxed) {
            return ForwardResponse(verdict: .failed(notBefore: nil), signal: signaled ? Int(status & 0x7F) : nil,
                                   error: "cancelled: the daemon is stopping", output: output)
        }
        if timedOut {
            return ForwardResponse(verdict: .failed(notBefore: nil), signal: signaled ? Int(status & 0x7F) : nil,
                                   error: "no exit within Timeout=; ended with \(killed ? "SIGKILL" : "SIGTERM")", output: output)
        }
        if signaled {
            let number = Int(status & 0x7F)
            return ForwardResponse(verdict: .failed(notBefore: nil), signal: number, error: "killed by signal \(number)", output: output)
        }
        let code = Int((status >> 8) & 0xFF)
        switch code {
        case 0: return ForwardResponse(verdict: .delivered, exitStatus: 0, output: output)
        case 65: return ForwardResponse(verdict: .refused, exitStatus: 65, error: "the handler exited 65 (EX_DATAERR): it will never take this event", output: output)
        default: return ForwardResponse(verdict: .failed(notBefore: nil), exitStatus: code, error: "the handler exited \(code)", output: output)
        }
    }

    private func failure(_ message: String) -> ForwardResponse {
        ForwardResponse(verdict: .failed(notBefore: nil), error: message)
    }

    private func errnoText() -> String { String(cString: strerror(errno)) }
}

/// A NULL-terminated `char *[]` of `strings` for the duration of `body`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for pointer in pointers { free(pointer) } }
    return body(pointers)
}

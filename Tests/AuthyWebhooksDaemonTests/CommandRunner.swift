import Foundation

/// Runs a built executable of this package (authyctl) with outputs in files, and reports its exit status and,
/// when asked, its peak memory.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
    /// Peak resident set size in KiB, when the command ran with `measuringMemory`.
    var peakRSSKiB: Int?
}

enum CommandRunner {
    /// The folder holding the package's executables (next to the test bundle).
    static var binDirectory: String {
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("authyctl").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.path
    }

    static func authyctl(_ arguments: [String], socket: String?, environment: [String: String] = [:], prefix: [String] = [], measuringMemory: Bool = false) async throws -> CommandResult {
        var args = arguments
        if let socket { args += ["--socket", socket] }
        return try await run(prefix + [binDirectory + "/authyctl"] + args, environment: environment, measuringMemory: measuringMemory)
    }

    /// Waits on a dispatch thread: blocking in wait4 on the cooperative pool would starve the daemon under test,
    /// which runs in this same process.
    static func run(_ argv: [String], environment: [String: String] = [:], measuringMemory: Bool = false) async throws -> CommandResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(argv, environment: environment, measuringMemory: measuringMemory) })
            }
        }
    }

    /// With `measuringMemory`, the command runs under GNU time (`/usr/bin/time -f %M`), which forks it from its own
    /// small process. `wait4`'s `ru_maxrss` cannot be used here: posix_spawn shares this process's memory until
    /// exec, and the kernel then carries this (large) test process's peak RSS over into the child's.
    static func runBlocking(_ argv: [String], environment: [String: String], measuringMemory: Bool = false) throws -> CommandResult {
        let directory = NSTemporaryDirectory() + "cmd-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outPath = directory + "/out", errPath = directory + "/err", rssPath = directory + "/rss"
        let argv = measuringMemory ? ["/usr/bin/time", "-f", "%M", "-o", rssPath] + argv : argv
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        var env = ProcessInfo.processInfo.environment.filter { $0.key != "AUTHYCTL_SOCKET" }
        env.merge(environment) { _, new in new }
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (cArgs + cEnv).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, argv[0], &actions, nil, cArgs, cEnv)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return CommandResult(
            status: exit,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "",
            peakRSSKiB: measuringMemory ? (try? String(contentsOfFile: rssPath, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } : nil)
    }
}

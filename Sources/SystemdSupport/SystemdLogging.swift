import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Process-wide logging set-up for a systemd service: journald when stderr is the journal, readable stderr
/// lines otherwise, and one level for every logger that a config reload can change at runtime.
public enum SystemdLogging {
    /// Installs the handler factory (once per process, as `LoggingSystem.bootstrap` requires) and sets the level.
    /// Journal entries carry `SYSLOG_IDENTIFIER=identifier`.
    public static func bootstrap(
        identifier: String = "authy-webhooksd",
        level: Logger.Level,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        setLevel(level)
        let useJournal = stderrIsJournal(environment: environment)
        LoggingSystem.bootstrap { label in
            if useJournal {
                JournalLogHandler(label: label, identifier: identifier)
            } else {
                StderrLogHandler(label: label)
            }
        }
    }

    /// Changes the level of every logger made by ``bootstrap(identifier:level:environment:)`` (and every handler
    /// created without its own level), including loggers created before the call, e.g. after a SIGHUP reload.
    public static func setLevel(_ level: Logger.Level) {
        SharedLogLevel.process.current = level
    }

    /// The level loggers currently follow.
    public static var level: Logger.Level {
        SharedLogLevel.process.current
    }

    /// Whether fd 2 is the journal's stream: systemd sets `JOURNAL_STREAM=<st_dev>:<st_ino>` of the socket it
    /// connects stderr to; if stderr was redirected since (a shell, `2>file`), the numbers no longer match.
    public static func stderrIsJournal(environment: [String: String]) -> Bool {
        fileDescriptor(2, matchesJournalStream: environment["JOURNAL_STREAM"])
    }

    /// `journalStream` (`dev:ino`, decimal) against `fstat(fd)`.
    static func fileDescriptor(_ fd: Int32, matchesJournalStream journalStream: String?) -> Bool {
        guard let journalStream else { return false }
        let parts = journalStream.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }
}

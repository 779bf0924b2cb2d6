import Foundation
import Logging
import Testing
@testable import SystemdSupport

#if canImport(Glibc)
import Glibc
#endif

@Suite("SystemdLogging")
struct SystemdLoggingTests {
    /// A temp file's fd with its `dev:ino`, as systemd would put it in `JOURNAL_STREAM`.
    private func openFile() throws -> (fd: Int32, journalStream: String, cleanup: () -> Void) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID())").path
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        var status = stat()
        try #require(fstat(fd, &status) == 0)
        return (fd, "\(status.st_dev):\(status.st_ino)", { close(fd); unlink(path) })
    }

    @Test func matchingJournalStreamMeansTheJournal() throws {
        let file = try openFile()
        defer { file.cleanup() }
        #expect(SystemdLogging.fileDescriptor(file.fd, matchesJournalStream: file.journalStream))
    }

    @Test(arguments: [nil, "", "12", "1:2:3", "x:y", "0:0"])
    func missingOrForeignJournalStreamMeansStderr(journalStream: String?) throws {
        let file = try openFile()
        defer { file.cleanup() }
        #expect(!SystemdLogging.fileDescriptor(file.fd, matchesJournalStream: journalStream))
    }

    @Test func stderrRedirectedAwayFromTheJournalIsNotTheJournal() throws {
        // The inherited JOURNAL_STREAM names another file than fd 2: e.g. `authy-webhooksd 2>log` in a unit.
        let file = try openFile()
        defer { file.cleanup() }
        #expect(!SystemdLogging.stderrIsJournal(environment: ["JOURNAL_STREAM": file.journalStream]))
    }

    @Test func stderrIsJournalReadsTheGivenEnvironment() throws {
        var status = stat()
        try #require(fstat(2, &status) == 0)
        #expect(SystemdLogging.stderrIsJournal(environment: ["JOURNAL_STREAM": "\(status.st_dev):\(status.st_ino)"]))
        #expect(!SystemdLogging.stderrIsJournal(environment: [:]))
    }

    @Test func setLevelReachesHandlersCreatedBeforeIt() {
        // The only test touching the process-wide level.
        let handler = StderrLogHandler(label: "reload")
        SystemdLogging.setLevel(.debug)
        #expect(handler.logLevel == .debug)
        #expect(SystemdLogging.level == .debug)
        SystemdLogging.setLevel(.error)
        #expect(handler.logLevel == .error)
    }
}

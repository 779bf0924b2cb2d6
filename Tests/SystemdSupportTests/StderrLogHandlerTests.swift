import Foundation
import Logging
import Testing
@testable import SystemdSupport

#if canImport(Glibc)
import Glibc
#endif

@Suite("StderrLogHandler")
struct StderrLogHandlerTests {
    /// 2026-11-29T10:00:00.123Z
    let date = Date(timeIntervalSince1970: 1_795_946_400.123)

    @Test func aLineHasTimestampLevelMessageAndSortedMetadata() {
        let line = StderrLogHandler.format(
            date: date, level: .info, message: "delivery accepted",
            metadata: ["webhook": "prod", "delivery_id": "dlv_1"]
        )
        #expect(line == "2026-11-29T10:00:00.123Z info  delivery accepted delivery_id=dlv_1 webhook=prod")
    }

    @Test func longerLevelNamesKeepOneSpace() {
        let line = StderrLogHandler.format(date: date, level: .warning, message: "slow", metadata: [:])
        #expect(line == "2026-11-29T10:00:00.123Z warning slow")
    }

    @Test func valuesThatWouldBreakTheLineAreQuoted() {
        let line = StderrLogHandler.format(
            date: date, level: .error, message: "refused",
            metadata: ["reason": "bad signature", "note": "a\nfake=line", "types": ["user_added", "user_removed"]]
        )
        #expect(line.hasSuffix(#" note="a\nfake=line" reason="bad signature" types=user_added,user_removed"#))
        #expect(!line.contains("\n"))
    }

    @Test func timestampsAreUTCWithMilliseconds() {
        #expect(StderrLogHandler.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(StderrLogHandler.timestamp(Date(timeIntervalSince1970: 1_709_251_199.999)) == "2024-02-29T23:59:59.999Z")
    }

    @Test func loggingWritesOneLineToTheFileDescriptor() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        var handler = StderrLogHandler(label: "test", logLevel: .debug, metadataProvider: nil,
                                       shared: SharedLogLevel(.info), fileDescriptor: fds[1])
        handler[metadataKey: "webhook"] = "prod"
        let logger = Logger(label: "test", factory: { _ in handler })
        logger.info("stored", metadata: ["delivery_id": "dlv_9"])
        close(fds[1])

        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = read(fds[0], &buffer, buffer.count)
        let text = String(decoding: buffer[0..<max(0, count)], as: UTF8.self)
        #expect(text.hasSuffix(" info  stored delivery_id=dlv_9 webhook=prod\n"))
    }

    @Test func handlersFollowTheSharedLevelUntilGivenTheirOwn() {
        let shared = SharedLogLevel(.info)
        var first = StderrLogHandler(label: "a", logLevel: nil, metadataProvider: nil, shared: shared, fileDescriptor: 2)
        let second = StderrLogHandler(label: "b", logLevel: nil, metadataProvider: nil, shared: shared, fileDescriptor: 2)
        #expect(first.logLevel == .info)

        shared.current = .debug  // what a reload does
        #expect(first.logLevel == .debug)
        #expect(second.logLevel == .debug)

        first.logLevel = .error  // one logger's own level leaves the others alone
        #expect(first.logLevel == .error)
        #expect(second.logLevel == .debug)
        shared.current = .trace
        #expect(first.logLevel == .error)
    }

    @Test func journalHandlerFollowsTheSharedLevelToo() {
        let shared = SharedLogLevel(.warning)
        let handler = JournalLogHandler(label: "a", identifier: "x", logLevel: nil, metadataProvider: nil, shared: shared)
        #expect(handler.logLevel == .warning)
        shared.current = .debug
        #expect(handler.logLevel == .debug)
    }
}

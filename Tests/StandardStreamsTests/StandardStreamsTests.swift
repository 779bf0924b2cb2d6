import Foundation
import StandardStreams
import Testing

/// write(2) with its errors reported (the process-ending policy of `writeResults` is tested on the real binaries,
/// in AuthyCtlTests).
@Suite("Standard streams")
struct StandardStreamsTests {
    @Test func everyByteReachesAPipeEvenPastItsCapacity() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (reader, writer) = (ends[0], ends[1])
        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        // The writer blocks once the pipe (64 KB) is full, so the reader drains it at the same time.
        let received = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            group.addTask {
                try await Task.detached {
                    var all: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65_536)
                    while true {
                        let count = chunk.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
                        if count <= 0 { break }
                        all += chunk[..<count]
                    }
                    return all
                }.value
            }
            let failure = payload.withUnsafeBytes { StandardStreams.writeAll($0, to: writer) }
            #expect(failure == nil)
            close(writer)
            return try await group.next() ?? []
        }
        close(reader)
        #expect(received == payload)
    }

    @Test func aClosedReaderIsReportedAsEPIPE() {
        signal(SIGPIPE, SIG_IGN)  // as SwiftNIO leaves it in both programs
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        close(ends[0])
        let failure = Array("lost".utf8).withUnsafeBytes { StandardStreams.writeAll($0, to: ends[1]) }
        close(ends[1])
        #expect(failure == EPIPE)
    }

    @Test func aFullDeviceIsReportedAsENOSPC() throws {
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(full >= 0)
        defer { close(full) }
        let failure = Array("lost".utf8).withUnsafeBytes { StandardStreams.writeAll($0, to: full) }
        #expect(failure == ENOSPC)
    }
}

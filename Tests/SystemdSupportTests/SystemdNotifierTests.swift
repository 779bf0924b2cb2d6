import Foundation
import Testing
@testable import SystemdSupport

#if canImport(Glibc)
import Glibc
#endif

@Suite("SystemdNotifier")
struct SystemdNotifierTests {
    @Test func readySendsReadyAndStatusInOneDatagram() throws {
        let listener = try NotifySocketListener()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path])
        #expect(notifier.isEnabled)
        notifier.ready(status: "listening on 127.0.0.1:8080; 3 events stored")
        #expect(listener.receive() == "READY=1\nSTATUS=listening on 127.0.0.1:8080; 3 events stored")
    }

    @Test func readyWithoutStatusSendsOnlyReady() throws {
        let listener = try NotifySocketListener()
        SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path]).ready()
        #expect(listener.receive() == "READY=1")
    }

    @Test func statusIsKeptToOneLine() throws {
        let listener = try NotifySocketListener()
        SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path]).status("draining\nREADY=1")
        #expect(listener.receive() == "STATUS=draining READY=1")
    }

    @Test func reloadingCarriesTheCurrentMonotonicClock() throws {
        let listener = try NotifySocketListener()
        var before = timespec()
        clock_gettime(CLOCK_MONOTONIC, &before)
        SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path]).reloading()
        var after = timespec()
        clock_gettime(CLOCK_MONOTONIC, &after)

        let datagram = try #require(listener.receive())
        let lines = datagram.split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        let usecText = try #require(lines.first { $0.hasPrefix("MONOTONIC_USEC=") }?.dropFirst("MONOTONIC_USEC=".count))
        let usec = try #require(UInt64(usecText))
        let lower = UInt64(before.tv_sec) * 1_000_000 + UInt64(before.tv_nsec) / 1_000
        let upper = UInt64(after.tv_sec) * 1_000_000 + UInt64(after.tv_nsec) / 1_000
        #expect(usec >= lower && usec <= upper)
    }

    @Test func stoppingAndWatchdogSendTheirAssignments() throws {
        let listener = try NotifySocketListener()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path])
        notifier.stopping(status: "draining 2 requests")
        #expect(listener.receive() == "STOPPING=1\nSTATUS=draining 2 requests")
        notifier.watchdogPing()
        #expect(listener.receive() == "WATCHDOG=1")
    }

    @Test func withoutNotifySocketNothingIsSentAndNothingFails() throws {
        let listener = try NotifySocketListener()
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        notifier.ready(status: "x")
        notifier.reloading()
        notifier.watchdogPing()
        notifier.stopping()
        #expect(listener.receive() == nil)
    }

    @Test func aVanishedSocketIsIgnored() throws {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent-\(UUID())/notify"])
        #expect(notifier.isEnabled)
        notifier.ready()  // must neither crash nor throw
    }

    @Test(arguments: ["", "relative/notify", "vsock:2:1234", "/" + String(repeating: "x", count: 200)])
    func unusableNotifySocketDisablesNotifications(value: String) {
        #expect(!SystemdNotifier(environment: ["NOTIFY_SOCKET": value]).isEnabled)
    }

    @Test func abstractNamespaceAddressReachesAnAbstractSocket() throws {
        let name = "sdnotify-test-\(UUID().uuidString)"
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let nameBytes: [UInt8] = [0] + Array(name.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: nameBytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sa_family_t>.size + nameBytes.count))
            }
        }
        try #require(bound == 0)
        var timeout = timeval(tv_sec: 0, tv_usec: 300_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        SystemdNotifier(environment: ["NOTIFY_SOCKET": "@" + name]).ready()
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = recv(fd, &buffer, buffer.count, 0)
        try #require(count > 0)
        #expect(String(decoding: buffer[0..<count], as: UTF8.self) == "READY=1")
    }

    @Test func watchdogIntervalComesFromWatchdogUsecForThisProcess() {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "\(getpid())"])
        #expect(notifier.watchdogInterval == .seconds(30))
        #expect(notifier.watchdogPingInterval == .seconds(15))
    }

    @Test func watchdogIntervalMeantForAnotherProcessIsIgnored() {
        // A child that inherited the parent's variables must not ping on the parent's behalf.
        let environment = ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "\(getpid() + 1)"]
        #expect(SystemdNotifier(environment: environment).watchdogInterval == nil)
    }

    @Test func watchdogIntervalWithoutPidStillApplies() {
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "1500000"]).watchdogInterval == .milliseconds(1500))
    }

    @Test(arguments: [
        ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "abc"],
        ["WATCHDOG_USEC": "0"],
        ["WATCHDOG_USEC": "-5"],
        ["WATCHDOG_USEC": "soon"],
        [:],
    ])
    func watchdogIntervalIsNilWhenNotAskedOfThisProcess(environment: [String: String]) {
        #expect(SystemdNotifier(environment: environment).watchdogInterval == nil)
    }
}

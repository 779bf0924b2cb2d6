import Testing
@testable import AuthyWebhooksConfig

@Suite struct DropInTests {
    @Test func laterFilesWinForSingleValuedKeys() throws {
        let config = try DaemonConfiguration.parse([
            (name: "main.conf", text: "[Receiver]\nPath=/main\nMaxBodySize=32K\n"),
            (name: "main.conf.d/10-path.conf", text: "[Receiver]\nPath=/ten\n"),
            (name: "main.conf.d/20-path.conf", text: "[Receiver]\nPath=/twenty\n"),
        ])
        #expect(config.receiver.path == "/twenty")
        #expect(config.receiver.maxBodySize == 32 << 10)
        #expect(config.sourceFiles == ["main.conf", "main.conf.d/10-path.conf", "main.conf.d/20-path.conf"])
    }

    @Test func listKeysAccumulateAcrossFilesAndAnEmptyAssignmentResets() throws {
        let accumulated = try DaemonConfiguration.parse([
            (name: "main.conf", text: "[Receiver]\nListen=127.0.0.1:1\n"),
            (name: "a.conf", text: "[Receiver]\nListen=127.0.0.1:2\n"),
        ])
        #expect(accumulated.receiver.listen.map(\.port) == [1, 2])

        let reset = try DaemonConfiguration.parse([
            (name: "main.conf", text: "[Receiver]\nListen=127.0.0.1:1\n"),
            (name: "a.conf", text: "[Receiver]\nListen=\nListen=[::1]:3\n"),
        ])
        #expect(reset.receiver.listen == [ListenAddress(host: "::1", port: 3)])
    }

    @Test func errorsNameTheDropInAndItsLine() {
        let error = parseError([
            (name: "main.conf", text: "[Receiver]\nPath=/ok\n"),
            (name: "main.conf.d/50-bad.conf", text: "\n[Store]\nSynchronous=sometimes\n"),
        ])
        #expect(error?.description.hasPrefix("main.conf.d/50-bad.conf:3: invalid Synchronous= value") == true)
    }

    @Test func duplicateListenAcrossFilesNamesTheFirstFile() {
        let error = parseError([
            (name: "main.conf", text: "[Receiver]\nListen=127.0.0.1:7000\n"),
            (name: "extra.conf", text: "[Receiver]\nListen=127.0.0.1:7000\n"),
        ])
        #expect(error?.code == "config_duplicate")
        #expect(error?.file == "extra.conf")
        #expect(error?.message.contains("main.conf:2") == true)
    }
}

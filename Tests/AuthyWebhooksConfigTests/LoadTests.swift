import Foundation
import Testing
@testable import AuthyWebhooksConfig

@Suite struct LoadTests {
    @Test func aMissingMainFileIsAnError() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/absent.conf"
            let error = loadError(path)
            #expect(error?.code == "config_unreadable")
            #expect(error?.line == nil)
            #expect(error?.description == "\(path): cannot read: No such file or directory")
        }
    }

    @Test func dropInsAreReadInLexicalOrderAfterTheMainFile() throws {
        try withTemporaryDirectory { directory in
            let main = directory + "/daemon.conf"
            try write("[Receiver]\nPath=/main\nListen=127.0.0.1:1\n", to: main)
            try write("[Receiver]\nPath=/from-20\nListen=127.0.0.1:20\n", to: main + ".d/20-b.conf")
            try write("[Receiver]\nPath=/from-10\nListen=127.0.0.1:10\n", to: main + ".d/10-a.conf")
            try write("[Receiver]\nPath=/from-9\n", to: main + ".d/9-c.conf")  // "9" sorts after "2": lexical, not numeric
            try write("[Receiver]\nPath=/ignored\n", to: main + ".d/30-not-a-dropin.conf.disabled")
            try write("[Receiver]\nPath=/hidden\n", to: main + ".d/.99-hidden.conf")
            try FileManager.default.createDirectory(atPath: main + ".d/40-dir.conf", withIntermediateDirectories: true)

            let config = try DaemonConfiguration.load(path: main, environment: [:])
            #expect(config.sourceFiles == [main, main + ".d/10-a.conf", main + ".d/20-b.conf", main + ".d/9-c.conf"])
            #expect(config.receiver.path == "/from-9")
            #expect(config.receiver.listen.map(\.port) == [1, 10, 20])
            #expect(config.warnings.isEmpty)
        }
    }

    @Test func errorsInADropInNameItsPath() throws {
        try withTemporaryDirectory { directory in
            let main = directory + "/daemon.conf"
            try write("[Receiver]\n", to: main)
            try write("[Receiver]\n\nNope=1\n", to: main + ".d/50-x.conf")
            let error = loadError(main)
            #expect(error?.description.hasPrefix("\(main).d/50-x.conf:3: unknown key Nope=") == true)
        }
    }

    @Test func aWorldReadableFileWithSecretsGetsAWarning() throws {
        try withTemporaryDirectory { directory in
            let main = directory + "/daemon.conf"
            try write("[Receiver]\nPath=/x\n", to: main, mode: 0o644)  // readable, but no secret
            try write("[Webhook]\nName=w\nSigningKey=WSK_world_readable\n", to: main + ".d/keys.conf", mode: 0o644)
            try write("[Authy]\nAppAPIKey=private-key\n", to: main + ".d/private.conf", mode: 0o640)
            let config = try DaemonConfiguration.load(path: main, environment: [:])
            #expect(config.warnings == [
                "\(main).d/keys.conf holds secrets and is readable by other users (mode 0644); "
                    + "run chmod o-r on it, or move the keys to credentials",
            ])
            #expect(!config.warnings.joined().contains("WSK_world_readable"))
        }
    }

    @Test func aPrivateFileWithSecretsGetsNoWarning() throws {
        try withTemporaryDirectory { directory in
            let main = directory + "/daemon.conf"
            try write("[Authy]\nAppAPIKey=a\nAccessKey=b\nAPISigningKey=c\n", to: main, mode: 0o600)
            #expect(try DaemonConfiguration.load(path: main, environment: [:]).warnings.isEmpty)
        }
    }

    @Test func loadAppliesCredentialsFromTheEnvironment() throws {
        try withTemporaryDirectory { directory in
            let main = directory + "/daemon.conf"
            try write("[Authy]\nAPISigningKey=from-config\n", to: main)
            try write("from-credential\n", to: directory + "/creds/authy-api-signing-key")
            let config = try DaemonConfiguration.load(path: main, environment: ["CREDENTIALS_DIRECTORY": directory + "/creds"])
            #expect(config.authy.apiSigningKey == "from-credential")
        }
    }

    @Test func invalidUTF8NamesTheLine() throws {
        try withTemporaryDirectory { directory in
            let main = directory + "/daemon.conf"
            try Data([UInt8]("[Receiver]\nPath=/ok\nPath=/".utf8) + [0xFF, 0xFE] + [UInt8]("\n".utf8))
                .write(to: URL(fileURLWithPath: main))
            let error = loadError(main)
            #expect(error?.code == "config_syntax")
            #expect(error?.line == 3)
        }
    }
}

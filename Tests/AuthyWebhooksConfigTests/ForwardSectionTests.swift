import Foundation
import Testing
@testable import AuthyWebhooksConfig

@Suite("[Forward] sections")
struct ForwardSectionTests {
    static let secret = "whsec_" + Data(repeating: 7, count: 32).base64EncodedString()

    @Test func defaultsFollowTheKind() throws {
        let config = try parse("[Forward]\nName=app\nURL=https://example.com/hook\n[Forward]\nName=local\nExec=/bin/echo 'two words' \"x\\\"y\"\n")
        #expect(config.forwards.count == 2)
        let app = config.forwards[0]
        #expect(app.destination == .url("https://example.com/hook"))
        #expect(app.concurrency == 4 && app.ordering == .parallel && app.timeout == .seconds(30))
        #expect(app.retrySchedule == ForwardSettings.defaultRetrySchedule && app.retrySchedule.count == 9)
        #expect(app.events.isEmpty && app.webhooks.isEmpty && app.secret == nil)
        #expect(config.forwards[1].destination == .exec(["/bin/echo", "two words", "x\"y"]))
        #expect(config.forwards[1].concurrency == 1)
    }

    @Test func everyKeyTakesItsValue() throws {
        let config = try parse("""
            [Forward]
            Name=a_b-1
            URL=http://127.0.0.1:9000/x
            Events=user_added token_verified
            Events=unknown
            Webhooks=main
            Secret=\(Self.secret)
            Timeout=2s
            Concurrency=8
            Ordering=fifo
            RetrySchedule=1s 5min 2h

            """)
        let target = try #require(config.forwards.first)
        #expect(target.events == ["user_added", "token_verified", "unknown"])
        #expect(target.webhooks == ["main"])
        #expect(target.secret == Self.secret)
        #expect(target.timeout == .seconds(2))
        #expect(target.effectiveConcurrency == 1, "fifo is one attempt at a time")
        #expect(target.retrySchedule == [.seconds(1), .seconds(300), .seconds(7200)])
    }

    @Test(arguments: [
        ("[Forward]\nURL=http://a/\n", "without Name="),
        ("[Forward]\nName=a\n", "needs URL= or Exec="),
        ("[Forward]\nName=a\nURL=http://a/\nExec=/bin/true\n", "both URL= and Exec="),
        ("[Forward]\nName=a\nExec=bin/true\n", "absolute path"),
        ("[Forward]\nName=a\nExec=/etc/passwd\n", "not an executable file"),
        ("[Forward]\nName=a\nExec=/bin/echo \"open\n", "not closed"),
        ("[Forward]\nName=a b\nURL=http://a/\n", "1 to 64 letters"),
        ("[Forward]\nName=a\nURL=ftp://a/\n", "http(s) URL"),
        ("[Forward]\nName=a\nURL=http://a/\nSecret=whsec_c2hvcnQ=\n", "24 to 64 bytes"),
        ("[Forward]\nName=a\nURL=http://a/\nOrdering=random\n", "parallel, fifo"),
        ("[Forward]\nName=a\nURL=http://a/\nRetrySchedule=5s soon\n", "time"),
        ("[Forward]\nName=a\nURL=http://a/\nConcurrency=0\n", "from 1 to 256"),
        ("[Forward]\nName=a\nURL=http://a/\n[Forward]\nName=a\nURL=http://b/\n", "already declared at test.conf:1"),
    ])
    func badValuesNameTheLine(text: String, expected: String) throws {
        let error = try #require(parseError(text))
        #expect(error.description.hasPrefix("test.conf:"), "\(error)")
        #expect(error.description.contains(expected), "\(error)")
    }

    @Test func aMalformedSecretIsNeverQuoted() throws {
        let error = try #require(parseError("[Forward]\nName=a\nURL=http://a/\nSecret=whsec_notbase64!!\n"))
        #expect(!error.description.contains("notbase64"))
    }

    @Test func theSecretIsMaskedAndMayComeFromACredential() throws {
        try withTemporaryDirectory { directory in
            try write(Self.secret + "\n", to: directory + "/authy-forward-app-secret")
            let config = try parse("[Forward]\nName=app\nURL=http://a/\n", environment: ["CREDENTIALS_DIRECTORY": directory])
            #expect(config.forwards.first?.secret == Self.secret)
            let rendered = config.renderEffective()
            #expect(rendered.contains("Secret=<masked>"))
            #expect(!rendered.contains(Self.secret))
            #expect(!String(describing: config.forwards).contains(Self.secret))
        }
    }

    @Test func theRenderingParsesBackToTheSameTargets() throws {
        let original = try parse("[Forward]\nName=local\nExec=/bin/echo 'a b' c\nRetrySchedule=1min 30s\nEvents=user_added\n")
        let again = try parse(original.renderEffective())
        #expect(again.forwards.map(\.destination) == original.forwards.map(\.destination))
        #expect(again.forwards.map(\.retrySchedule) == original.forwards.map(\.retrySchedule))
        #expect(again.forwards.map(\.events) == original.forwards.map(\.events))
    }
}

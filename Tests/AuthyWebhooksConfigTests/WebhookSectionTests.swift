import Testing
@testable import AuthyWebhooksConfig

@Suite struct WebhookSectionTests {
    @Test func sectionsBecomeWebhooksInOrderWithTheirLocation() throws {
        let config = try parse("""
            [Webhook]
            Name=dashboard
            SigningKey=WSK_dashboard

            [Webhook]
            Name=managed
            URL=https://hooks.example.com/authy/webhook
            Events=user_added user_removed
            """)
        #expect(config.webhooks.map(\.name) == ["dashboard", "managed"])
        #expect(config.webhooks[0].signingKey == "WSK_dashboard")
        #expect(config.webhooks[0].location == "test.conf:1")
        #expect(config.webhooks[1].url == "https://hooks.example.com/authy/webhook")
        #expect(config.webhooks[1].events == ["user_added", "user_removed"])
        #expect(config.webhooks[1].location == "test.conf:5")
    }

    @Test func aDropInAddsTheSigningKeyToAWebhookOfTheMainFile() throws {
        let config = try DaemonConfiguration.parse([
            (name: "main.conf", text: """
                [Webhook]
                Name=prod
                URL=https://hooks.example.com/a
                Events=token_verified
                """),
            (name: "main.conf.d/secret.conf", text: "[Webhook]\nName=prod\nSigningKey=WSK_prod\n"),
        ])
        #expect(config.webhooks == [WebhookSettings(name: "prod", signingKey: "WSK_prod", url: "https://hooks.example.com/a",
                                                    events: ["token_verified"], location: "main.conf:1")])
    }

    @Test func laterKeysWinAndEventsAccumulateAcrossMergedSections() throws {
        let config = try DaemonConfiguration.parse([
            (name: "main.conf", text: """
                [Webhook]
                Name=prod
                URL=https://old.example.com/x
                Events=user_added
                Events=user_removed user_added
                """),
            (name: "b.conf", text: "[Webhook]\nURL=https://new.example.com/x\nName=prod\nEvents=token_invalid\n"),
        ])
        #expect(config.webhooks.count == 1)
        #expect(config.webhooks[0].url == "https://new.example.com/x")
        #expect(config.webhooks[0].events == ["user_added", "user_removed", "token_invalid"])
    }

    @Test func anEmptyEventsAssignmentResetsTheList() throws {
        let config = try parse("""
            [Webhook]
            Name=w
            URL=https://example.com/x
            Events=user_added
            Events=
            Events=token_verified
            """)
        #expect(config.webhooks[0].events == ["token_verified"])
    }

    @Test func anEmptySigningKeyUnsetsIt() throws {
        let config = try DaemonConfiguration.parse([
            (name: "a.conf", text: "[Webhook]\nName=w\nSigningKey=WSK_a\n"),
            (name: "b.conf", text: "[Webhook]\nName=w\nSigningKey=\n"),
        ])
        #expect(config.webhooks[0].signingKey == nil)
    }

    @Test func aSectionWithoutNameIsAnErrorAtItsHeader() {
        let error = parseError("[Log]\nLevel=info\n\n[Webhook]\nSigningKey=WSK_x\n")
        #expect(error?.code == "config_missing_key")
        #expect(error?.description == "test.conf:4: [Webhook] section without Name=")
    }

    @Test func twoDifferentNamesInOneSectionAreAnError() {
        let error = parseError("[Webhook]\nName=a\nName=b\n")
        #expect(error?.code == "config_duplicate")
        #expect(error?.line == 3)
    }

    @Test func urlWithoutEventsIsAnErrorAtTheURLLine() {
        let error = parseError("[Webhook]\nName=w\nURL=https://example.com/x\n")
        #expect(error?.code == "config_missing_key")
        #expect(error?.line == 3)
        #expect(error?.message.contains("Events=") == true)
    }

    @Test func eventsWithoutURLIsAnError() {
        let error = parseError("[Webhook]\nName=w\nEvents=user_added\n")
        #expect(error?.code == "config_missing_key")
        #expect(error?.line == 3)
    }

    @Test func twoWebhooksWithTheSameSigningKeyAreADuplicateWithoutShowingTheKey() {
        let error = parseError("""
            [Webhook]
            Name=a
            SigningKey=WSK_shared_secret
            [Webhook]
            Name=b
            SigningKey=WSK_shared_secret
            """)
        #expect(error?.code == "config_duplicate")
        #expect(error?.line == 6)
        #expect(error?.message.contains("test.conf:3") == true)
        #expect(error?.description.contains("WSK_shared_secret") == false)
    }

    static let badValues: [(String, Int)] = [
        ("[Webhook]\nName=w\nURL=ftp://example.com/x\nEvents=user_added\n", 3),
        ("[Webhook]\nName=w\nURL=https://example.com/x\nEvents=user_added bad/name\n", 4),
        ("[Webhook]\nName=w\nSigningKey=WSK with space\n", 3),
        ("[Webhook]\nName=\n", 2),
        ("[Webhook]\nName=" + String(repeating: "n", count: 201) + "\n", 2),
    ]

    @Test(arguments: badValues)
    func badWebhookValues(text: String, line: Int) {
        let error = parseError(text)
        #expect(error?.code == "config_invalid_value")
        #expect(error?.line == line)
    }

    @Test func unknownKeyInWebhook() {
        let error = parseError("[Webhook]\nName=w\nSecret=x\n")
        #expect(error?.code == "config_unknown_key")
        #expect(error?.line == 3)
    }

    @Test func aNameOnlySectionIsAllowed() throws {
        let config = try parse("[Webhook]\nName=keep-me\n")
        #expect(config.webhooks == [WebhookSettings(name: "keep-me", location: "test.conf:1")])
    }
}

import Testing
@testable import AuthyWebhooksConfig

@Suite struct SyntaxTests {
    @Test func emptyTextGivesEveryDefault() throws {
        var expected = DaemonConfiguration.default
        expected.sourceFiles = ["test.conf"]
        #expect(try parse("") == expected)
    }

    @Test func commentsBlankLinesAndWhitespaceAreIgnored() throws {
        let config = try parse("""
            # a comment
            ; another comment
              # indented comment

            [Receiver]
               Path  =   /hooks/authy   
            \tMaxConnections\t=\t9
            # Path=/not/this
            ;Path=/nor/this

            """)
        #expect(config.receiver.path == "/hooks/authy")
        #expect(config.receiver.maxConnections == 9)
    }

    @Test func windowsLineEndingsAndByteOrderMarkAreAccepted() throws {
        let config = try parse("\u{FEFF}[Receiver]\r\nPath=/crlf\r\n")
        #expect(config.receiver.path == "/crlf")
    }

    @Test func sectionsMayRepeatAndLaterValuesWin() throws {
        let config = try parse("""
            [Receiver]
            Path=/first
            [Store]
            Synchronous=normal
            [Receiver]
            Path=/second
            """)
        #expect(config.receiver.path == "/second")
        #expect(config.store.synchronous == .normal)
    }

    @Test func unknownSectionNamesItsLine() {
        let error = parseError("""
            [Receiver]
            Path=/x

            [Reciever]
            Path=/y
            """)
        #expect(error?.code == "config_unknown_section")
        #expect(error?.line == 4)
        #expect(error?.description.hasPrefix("test.conf:4: unknown section [Reciever]") == true)
    }

    @Test func sectionNamesAreCaseSensitiveWithAHint() {
        let error = parseError("[receiver]\n")
        #expect(error?.code == "config_unknown_section")
        #expect(error?.message.contains("did you mean [Receiver]?") == true)
    }

    @Test func unknownKeyNamesItsLineAndTheKnownKeys() {
        let error = parseError("""
            [Store]
            Database=/tmp/x.sqlite3
            Databse=/tmp/y.sqlite3
            """)
        #expect(error?.code == "config_unknown_key")
        #expect(error?.line == 3)
        #expect(error?.description.hasPrefix("test.conf:3: unknown key Databse= in [Store]") == true)
        #expect(error?.message.contains("Database=") == true)
    }

    @Test func keysAreCaseSensitiveWithAHint() {
        let error = parseError("[Receiver]\nlisten=127.0.0.1:1\n")
        #expect(error?.code == "config_unknown_key")
        #expect(error?.message.contains("did you mean Listen=?") == true)
    }

    @Test func keyOfOneSectionIsUnknownInAnother() {
        let error = parseError("[Log]\nPath=/x\n")
        #expect(error?.code == "config_unknown_key")
        #expect(error?.line == 2)
    }

    @Test func keyOutsideAnySectionIsAnError() {
        let error = parseError("# header comment\nPath=/x\n[Receiver]\n")
        #expect(error?.code == "config_syntax")
        #expect(error?.line == 2)
        #expect(error?.description == "test.conf:2: Path= is outside any section; put it under a [Section] header")
    }

    static let malformed: [(String, Int)] = [
        ("[Receiver]\nthis is not an assignment\n", 2),
        ("[Receiver\n", 1),
        ("[]\n", 1),
        ("[Rec eiver]\n", 1),
        ("[Receiver]\n=value\n", 2),
        ("[Receiver]\nPa th=/x\n", 2),
        ("[Receiver]\nPath=/x\u{0}y\n", 2),
        ("[Receiver]\n\nPath=/x\u{1B}[31m\n", 3),
        ("[Receiver]\nPath=/authy/\u{202E}koohbew\n", 2),
        ("[Webhook]\nName=main\u{200B}\n", 2),
    ]

    @Test(arguments: malformed)
    func malformedLinesAreSyntaxErrors(text: String, line: Int) {
        let error = parseError(text)
        #expect(error?.code == "config_syntax")
        #expect(error?.line == line)
    }

    @Test func formattingCharactersAreNamedNotEchoed() {
        let error = parseError("[Webhook]\nName=ma\u{202E}in\n")
        #expect(error?.description == "test.conf:2: the line contains an invisible formatting character (U+202E)")
    }

    @Test func syntaxErrorsDoNotEchoTheLine() {
        let error = parseError("[Authy]\nAppAPIKey sk_live_very_secret\n")
        #expect(error?.code == "config_syntax")
        #expect(error?.description.contains("sk_live_very_secret") == false)
    }

    @Test func errorDescriptionWithoutALineIsFileColonMessage() {
        let error = ConfigurationError(code: "config_unreadable", file: "/etc/x.conf", line: nil, message: "cannot read")
        #expect(error.description == "/etc/x.conf: cannot read")
        let located = ConfigurationError(code: "config_syntax", file: "/etc/x.conf", line: 7, message: "bad")
        #expect(located.description == "/etc/x.conf:7: bad")
    }

    @Test func aTrailingCommentIsPartOfTheValueAsInSystemd() {
        let error = parseError("[Receiver]\nMaxConnections=5 # five\n")
        #expect(error?.code == "config_invalid_value")
        #expect(error?.line == 2)
    }
}

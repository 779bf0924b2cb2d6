import AuthyAPI
import Testing

/// The known answers of reference section 3, verbatim, and the canonical form of awkward values.
@Suite struct AuthyRequestSignerTests {
    @Test func authyClientKnownAnswer() {
        let signature = AuthyRequestSigner.signature(
            key: "foo", nonce: "1455825429", method: "POST", url: "https://foo.bar/",
            parameters: "foo%5Bbar%5D%5Bbiz%5D=foo&qux=net")
        #expect(signature == "uq/wB8AR1Acvn0wFcjm7mmBJyR11nuuMhMy6semsAO8=")
    }

    @Test func authyClientKnownAnswerWithSpaceAsPlus() {
        let signature = AuthyRequestSigner.signature(
            key: "foo", nonce: "1455825429", method: "POST", url: "https://foo.bar/",
            parameters: "foo%5Bbar%5D%5Bbiz%5D=foo+bar&qux=net")
        #expect(signature == "+fyGys+d5yNJx9SpeKZdf+N77od1t1cC/fVSWDW2+kY=")
    }

    @Test func percentTwentySpellingOfSpaceDoesNotGiveTheSecondAnswer() {
        let signature = AuthyRequestSigner.signature(
            key: "foo", nonce: "1455825429", method: "POST", url: "https://foo.bar/",
            parameters: "foo%5Bbar%5D%5Bbiz%5D=foo%20bar&qux=net")
        #expect(signature != "+fyGys+d5yNJx9SpeKZdf+N77od1t1cC/fVSWDW2+kY=")
    }

    @Test func canonicalizingTheSecondAnswersParametersGivesItsSignature() {
        let parameters = AuthyRequestSigner.canonicalParameters([
            AuthyParameter("qux", "net"), AuthyParameter("foo[bar][biz]", "foo bar"),
        ])
        #expect(parameters == "foo%5Bbar%5D%5Bbiz%5D=foo+bar&qux=net")
        let signature = AuthyRequestSigner.signature(
            key: "foo", nonce: "1455825429", method: "POST", url: "https://foo.bar/", parameters: parameters)
        #expect(signature == "+fyGys+d5yNJx9SpeKZdf+N77od1t1cC/fVSWDW2+kY=")
    }

    @Test func docsWorkedExampleCanonicalizesAndSigns() {
        let parameters = AuthyRequestSigner.canonicalParameters([
            AuthyParameter("b", "val|ue&2"), AuthyParameter("a", "value1"),
        ])
        #expect(parameters == "a=value1&b=val%7Cue%262")
        let signature = AuthyRequestSigner.signature(
            key: "foobar123", nonce: "1427849783.886085", method: "POST",
            url: "https://api.authy.com/dashboard/json/application/webhooks", parameters: parameters)
        #expect(signature == "4f9676D/+BzsEq8NzF0fXpv7qETnzJUW/4YGe7p0EPM=")
    }

    @Test func methodIsUpperCasedBeforeSigning() {
        let lower = AuthyRequestSigner.signature(
            key: "foobar123", nonce: "1427849783.886085", method: "post",
            url: "https://api.authy.com/dashboard/json/application/webhooks", parameters: "a=value1&b=val%7Cue%262")
        #expect(lower == "4f9676D/+BzsEq8NzF0fXpv7qETnzJUW/4YGe7p0EPM=")
    }

    @Test(arguments: [
        ("a|b", "a%7Cb"), ("a&b", "a%26b"), ("a=b", "a%3Db"), ("a+b", "a%2Bb"), ("a/b", "a%2Fb"), ("a:b", "a%3Ab"),
        ("a b", "a+b"), ("events[]", "events%5B%5D"), ("AZaz09-_.~", "AZaz09-_.~"), ("é", "%C3%A9"), ("%", "%25"),
    ])
    func formEncodingOfAwkwardCharacters(input: String, encoded: String) {
        #expect(AuthyRequestSigner.formEncode(input) == encoded)
    }

    @Test func arrayParameterStaysTogetherInItsOwnOrderAndSortsAsAUnit() {
        let parameters = AuthyRequestSigner.canonicalParameters([
            AuthyParameter("url", "https://example.com/hook?x=1 2"),
            AuthyParameter("events[]", values: ["user_removed", "user_added"]),
            AuthyParameter("access_key", "k"),
            AuthyParameter("name", "n|&=+/: x"),
        ])
        #expect(
            parameters
                == "access_key=k&events%5B%5D=user_removed&events%5B%5D=user_added&name=n%7C%26%3D%2B%2F%3A+x"
                + "&url=https%3A%2F%2Fexample.com%2Fhook%3Fx%3D1+2")
    }

    @Test func sortingIsByBytesSoUpperCaseComesFirst() {
        let parameters = AuthyRequestSigner.canonicalParameters([
            AuthyParameter("b", "1"), AuthyParameter("B", "2"), AuthyParameter("a", "3"),
        ])
        #expect(parameters == "B=2&a=3&b=1")
    }

    @Test func pathSegmentEncodingUsesPercentTwentyForSpace() {
        #expect(AuthyRequestSigner.pathSegmentEncode("WH_6a554f7f-4433-4a25-ba5d-0f083733c790") == "WH_6a554f7f-4433-4a25-ba5d-0f083733c790")
        #expect(AuthyRequestSigner.pathSegmentEncode("a b/c?d") == "a%20b%2Fc%3Fd")
    }

    @Test func noncesAreFreshAndCannotBreakTheSignedString() {
        let nonces = (0..<50).map { _ in AuthyRequestSigner.makeNonce() }
        #expect(Set(nonces).count == nonces.count)
        #expect(nonces.allSatisfy { !$0.isEmpty && !$0.contains("|") })
    }
}

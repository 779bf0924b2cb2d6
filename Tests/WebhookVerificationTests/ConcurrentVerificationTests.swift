import Foundation
import Testing
import WebhookVerification

@Suite("DeliveryVerifier: shared across tasks")
struct ConcurrentVerificationTests {
    @Test("one verifier used from many tasks at once gives every task the right answer")
    func concurrentUse() async {
        // The keys hold a pre-keyed HMAC state that each verification copies; this checks the copies never mix.
        let verifier = DeliveryVerifier(keys: [
            WebhookSigningKey(webhook: "a", secret: "WSK_a"), WebhookSigningKey(webhook: "b", secret: "WSK_b"),
        ])
        let tokens = (0..<40).map { index in
            (TokenMinter.hmac(claims: TokenMinter.claims(event: "e\(index)"), secret: ["WSK_a", "WSK_b", "WSK_c"][index % 3]),
             [Optional("a"), "b", nil][index % 3])
        }
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var mismatches = 0
                    for _ in 0..<25 {
                        for (token, expected) in tokens {
                            let webhook = try? verifier.verify(token: token, now: TokenMinter.referenceTime).webhook
                            if webhook != expected { mismatches += 1 }
                        }
                    }
                    return mismatches
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}

/// A failure the fake serves to the next request instead of (or before) handling it normally.
public enum FakeFailure: Sendable, Equatable {
    /// Answer `status` with `{"message": message, "success": false}` and, if given, a `Retry-After` header.
    case status(Int, message: String, retryAfter: String? = nil)
    /// Wait this long, then handle the request normally (a slow answer).
    case delay(Duration)
    /// Answer 200 with a truncated JSON body.
    case malformedJSON
}

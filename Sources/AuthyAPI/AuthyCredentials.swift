import Foundation

/// The three dashboard keys a webhooks-API call needs (reference section 1). Its description masks every key.
public struct AuthyCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// App API Key: the form parameter `app_api_key` on every call.
    public let appAPIKey: String
    /// Access Key: the form parameter `access_key` on every call.
    public let accessKey: String
    /// API Signing Key: the HMAC key that signs every call.
    public let apiSigningKey: String

    /// Credentials from the three dashboard keys.
    public init(appAPIKey: String, accessKey: String, apiSigningKey: String) {
        self.appAPIKey = appAPIKey
        self.accessKey = accessKey
        self.apiSigningKey = apiSigningKey
    }

    /// The keys, to scrub from any text that might echo one (an Authy message, an underlying error).
    var secrets: [String] { [appAPIKey, accessKey, apiSigningKey] }

    public var description: String {
        "AuthyCredentials(appAPIKey: ***, accessKey: ***, apiSigningKey: ***)"
    }

    public var debugDescription: String { description }

    // `dump()` and debuggers walk the Mirror, not `description`: mask there too.
    public var customMirror: Mirror {
        Mirror(self, children: ["appAPIKey": "***", "accessKey": "***", "apiSigningKey": "***"])
    }
}

extension String {
    /// This text with every non-empty secret replaced by `***`.
    func scrubbing(_ secrets: [String]) -> String {
        secrets.filter { !$0.isEmpty }.reduce(self) { $0.replacingOccurrences(of: $1, with: "***") }
    }
}

import Foundation

/// A webhook held by the fake, shaped like Authy's JSON (`signing_key`, `account_sid`, `service_id`, `creation_date`).
public struct FakeWebhook: Sendable, Equatable, Codable {
    /// `WH_<uuid>`.
    public var id: String
    /// The name given on create.
    public var name: String
    /// The callback URL.
    public var url: String
    /// Subscribed event names, as received.
    public var events: [String]
    /// `WSK_<random>` key that would sign deliveries.
    public var signingKey: String
    /// `AC<32 hex>`, like a Twilio account SID.
    public var accountSID: String
    /// An Authy application's service id (the real shape is unconfirmed; the fake uses `IS<32 hex>`).
    public var serviceID: String
    /// ISO 8601 creation time (the real format is unconfirmed).
    public var creationDate: String

    /// A webhook; the generated fields default to fresh values, as Authy would make them.
    public init(
        id: String = FakeWebhook.makeID(),
        name: String,
        url: String,
        events: [String],
        signingKey: String = FakeWebhook.makeSigningKey(),
        accountSID: String = "AC" + FakeWebhook.randomHex(32),
        serviceID: String = "IS" + FakeWebhook.randomHex(32),
        creationDate: String = ISO8601DateFormatter().string(from: Date())
    ) {
        self.id = id
        self.name = name
        self.url = url
        self.events = events
        self.signingKey = signingKey
        self.accountSID = accountSID
        self.serviceID = serviceID
        self.creationDate = creationDate
    }

    enum CodingKeys: String, CodingKey {
        case id, name, url, events
        case signingKey = "signing_key"
        case accountSID = "account_sid"
        case serviceID = "service_id"
        case creationDate = "creation_date"
    }

    /// A fresh `WH_<lower-case uuid>` id, like `WH_6a554f7f-4433-4a25-ba5d-0f083733c790`.
    public static func makeID() -> String {
        "WH_" + UUID().uuidString.lowercased()
    }

    /// A fresh `WSK_` key with 40 random alphanumeric characters.
    public static func makeSigningKey() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return "WSK_" + String((0..<40).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// `count` random lower-case hex digits.
    public static func randomHex(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in "0123456789abcdef".randomElement(using: &generator)! })
    }
}

/// A webhook as Authy describes it in the create and list responses.
///
/// Decoding is lenient because only the demo's README shows the shape: unknown fields are ignored, optional fields may
/// be missing, `events` may be absent (→ `[]`), and `creation_date` (seen only in the C# port) may be a string or a
/// number. Only `id` is required. The description masks the signing key.
public struct AuthyWebhook: Sendable, Equatable, Codable, CustomStringConvertible, CustomReflectable {
    /// `WH_…` id.
    public var id: String
    /// The name given on create.
    public var name: String
    /// The callback URL Authy POSTs events to.
    public var url: String
    /// Subscribed event names.
    public var events: [String]
    /// `WSK_…` key that signs the JWTs of deliveries to this webhook (a secret).
    public var signingKey: String?
    /// `AC…` Twilio account SID.
    public var accountSID: String?
    /// The Authy application's service id (shape unconfirmed).
    public var serviceID: String?
    /// When Authy created it, as Authy wrote it (format unconfirmed).
    public var creationDate: String?

    /// A webhook value; the optional fields default to absent.
    public init(
        id: String,
        name: String,
        url: String,
        events: [String],
        signingKey: String? = nil,
        accountSID: String? = nil,
        serviceID: String? = nil,
        creationDate: String? = nil
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

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let id = c.lenientString(.id), !id.isEmpty else {
            throw DecodingError.keyNotFound(
                CodingKeys.id, .init(codingPath: c.codingPath, debugDescription: "a webhook without an id"))
        }
        self.id = id
        self.name = c.lenientString(.name) ?? ""
        self.url = c.lenientString(.url) ?? ""
        if let list = try? c.decodeIfPresent([String].self, forKey: .events) {
            self.events = list
        } else if let single = try? c.decodeIfPresent(String.self, forKey: .events) {
            // Defensive: a single event sent as a bare string.
            self.events = [single]
        } else {
            self.events = []
        }
        self.signingKey = c.lenientString(.signingKey)
        self.accountSID = c.lenientString(.accountSID)
        self.serviceID = c.lenientString(.serviceID)
        self.creationDate = c.lenientString(.creationDate)
    }

    public var description: String {
        "AuthyWebhook(id: \(id), name: \(name), url: \(url), events: \(events), signingKey: \(signingKey == nil ? "nil" : "***"))"
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "id": id, "name": name, "url": url, "events": events,
                "signingKey": signingKey == nil ? "nil" : "***",
                "accountSID": accountSID as Any, "serviceID": serviceID as Any, "creationDate": creationDate as Any,
            ])
    }
}

extension KeyedDecodingContainer {
    /// The value at `key` as text whether Authy sent a string, an integer, a floating-point number or a boolean;
    /// nil when absent, null or of another shape.
    func lenientString(_ key: Key) -> String? {
        if let s = try? decodeIfPresent(String.self, forKey: key) { return s }
        if let i = try? decodeIfPresent(Int64.self, forKey: key) { return String(i) }
        if let d = try? decodeIfPresent(Double.self, forKey: key) { return String(d) }
        if let b = try? decodeIfPresent(Bool.self, forKey: key) { return String(b) }
        return nil
    }
}

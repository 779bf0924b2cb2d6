/// `[Authy]`: how the daemon reaches Authy's webhooks API.
///
/// The three keys are secrets: `description`, `debugDescription` and reflection (`dump`, string interpolation)
/// show them as `<masked>`, so logging a configuration cannot leak them.
public struct AuthySettings: Sendable, Equatable {
    /// `APIURL=`: scheme, host and optional port of the API, http or https, without a path.
    /// Default `https://api.authy.com`.
    public var apiURL: String
    /// `AppAPIKey=` (or credential `authy-app-api-key`): the dashboard's App API Key. Secret. Default unset.
    public var appAPIKey: String?
    /// `AccessKey=` (or credential `authy-access-key`): the dashboard's Access Key. Secret. Default unset.
    public var accessKey: String?
    /// `APISigningKey=` (or credential `authy-api-signing-key`): the key that signs API calls. Secret. Default unset.
    public var apiSigningKey: String?
    /// `RequestTimeout=`: timeout of one attempt of an API call. Default 15s.
    public var requestTimeout: Duration

    /// Every default of `[Authy]`.
    public static let `default` = AuthySettings(
        apiURL: "https://api.authy.com",
        appAPIKey: nil,
        accessKey: nil,
        apiSigningKey: nil,
        requestTimeout: .seconds(15)
    )

    /// Names of the missing keys, e.g. `["AppAPIKey (or credential authy-app-api-key)"]`; empty when all three are
    /// set. Webhook commands show this instead of calling Authy without credentials.
    public var missingCredentials: [String] {
        var missing: [String] = []
        if appAPIKey == nil { missing.append("AppAPIKey (or credential authy-app-api-key)") }
        if accessKey == nil { missing.append("AccessKey (or credential authy-access-key)") }
        if apiSigningKey == nil { missing.append("APISigningKey (or credential authy-api-signing-key)") }
        return missing
    }
}

extension AuthySettings: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "AuthySettings(apiURL: \(apiURL), appAPIKey: \(masked(appAPIKey)), accessKey: \(masked(accessKey)), "
            + "apiSigningKey: \(masked(apiSigningKey)), requestTimeout: \(TimeSpan.format(requestTimeout)))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "apiURL": apiURL,
            "appAPIKey": masked(appAPIKey),
            "accessKey": masked(accessKey),
            "apiSigningKey": masked(apiSigningKey),
            "requestTimeout": requestTimeout,
        ])
    }
}

/// How a secret appears anywhere a human may read it.
func masked(_ secret: String?) -> String {
    secret == nil ? "<unset>" : "<masked>"
}

/// systemd credentials (`LoadCredential=` / `SetCredential=`): files in `$CREDENTIALS_DIRECTORY` that override the
/// `[Authy]` keys, so the keys need not be in a config file at all.
extension DaemonConfiguration {
    /// The credential file name for each `[Authy]` secret.
    public static let credentialNames: [(key: String, credential: String)] = [
        ("AppAPIKey", "authy-app-api-key"),
        ("AccessKey", "authy-access-key"),
        ("APISigningKey", "authy-api-signing-key"),
    ]

    static func applyCredentials(environment: [String: String],
                                 to configuration: inout DaemonConfiguration) throws(ConfigurationError) {
        guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else { return }
        for (key, name) in credentialNames {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let raw = try TextFileReader.contents(of: path, missingIsNil: true) else { continue }
            var value = Substring(raw)
            while value.hasSuffix("\n") || value.hasSuffix("\r\n") { value = value.dropLast() }
            // An empty file means "not configured": the packaged unit loads the three credentials from files that
            // tmpfiles creates empty (systemd 252 fails the start when a LoadCredential= file is missing).
            guard !value.isEmpty else { continue }
            guard !value.contains(where: { $0.isNewline }) else {
                throw .invalidValue(path, nil, "the credential for \(key)= holds more than one line")
            }
            switch key {
            case "AppAPIKey": configuration.authy.appAPIKey = String(value)
            case "AccessKey": configuration.authy.accessKey = String(value)
            default: configuration.authy.apiSigningKey = String(value)
            }
        }
        // A target's secret may come as the credential authy-forward-NAME-secret; the credential wins, like the others.
        for index in configuration.forwards.indices {
            let name = configuration.forwards[index].credentialName
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let raw = try TextFileReader.contents(of: path, missingIsNil: true) else { continue }
            var value = Substring(raw)
            while value.hasSuffix("\n") || value.hasSuffix("\r\n") { value = value.dropLast() }
            guard !value.isEmpty else { continue }
            guard ForwardSecret.isValid(String(value)) else {
                throw .invalidValue(path, nil, "the credential \(name) is not whsec_ followed by the base64 of 24 to 64 bytes")
            }
            configuration.forwards[index].secret = String(value)
        }
    }
}

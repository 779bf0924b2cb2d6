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
            guard let value = try credential(name, in: directory, for: "\(key)=") else { continue }
            switch key {
            case "AppAPIKey": configuration.authy.appAPIKey = value
            case "AccessKey": configuration.authy.accessKey = value
            default: configuration.authy.apiSigningKey = value
            }
        }
        // A target's secret may come as the credential authy-forward-NAME-secret; the credential wins, like the others.
        for index in configuration.forwards.indices {
            let name = configuration.forwards[index].credentialName
            guard let value = try credential(name, in: directory, for: "[Forward] Secret=") else { continue }
            guard ForwardSecret.isValid(value) else {
                throw .invalidValue(directory + "/" + name, nil, "the credential \(name) is not whsec_ followed by the base64 of 24 to 64 bytes")
            }
            configuration.forwards[index].secret = value
        }
    }

    /// The one line of the credential file `name`, without its trailing newline; nil when the file is missing or
    /// empty. An empty file means "not configured": the packaged unit loads the credentials from files that
    /// tmpfiles creates empty (systemd 252 fails the start when a LoadCredential= file is missing).
    private static func credential(_ name: String, in directory: String, for key: String) throws(ConfigurationError) -> String? {
        let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        guard let raw = try TextFileReader.contents(of: path, missingIsNil: true) else { return nil }
        var value = Substring(raw)
        while value.hasSuffix("\n") || value.hasSuffix("\r\n") { value = value.dropLast() }
        guard !value.isEmpty else { return nil }
        guard !value.contains(where: { $0.isNewline }) else {
            throw .invalidValue(path, nil, "the credential for \(key) holds more than one line")
        }
        return String(value)
    }
}

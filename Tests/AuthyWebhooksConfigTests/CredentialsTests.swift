import Foundation
import Testing
@testable import AuthyWebhooksConfig

@Suite struct CredentialsTests {
    @Test func missingCredentialsAreListedByName() throws {
        let config = try parse("[Authy]\nAccessKey=access\n")
        #expect(config.authy.missingCredentials == [
            "AppAPIKey (or credential authy-app-api-key)",
            "APISigningKey (or credential authy-api-signing-key)",
        ])
        let full = try parse("[Authy]\nAppAPIKey=a\nAccessKey=b\nAPISigningKey=c\n")
        #expect(full.authy.missingCredentials.isEmpty)
        #expect(DaemonConfiguration.default.authy.missingCredentials.count == 3)
    }

    @Test func credentialFilesWinOverConfigValuesAndLoseTheirTrailingNewline() throws {
        try withTemporaryDirectory { directory in
            try write("cred-app-key\n", to: directory + "/authy-app-api-key")
            try write("cred-access-key\r\n", to: directory + "/authy-access-key")
            let config = try parse("[Authy]\nAppAPIKey=conf-app\nAccessKey=conf-access\nAPISigningKey=conf-signing\n",
                                   environment: ["CREDENTIALS_DIRECTORY": directory])
            #expect(config.authy.appAPIKey == "cred-app-key")
            #expect(config.authy.accessKey == "cred-access-key")
            #expect(config.authy.apiSigningKey == "conf-signing")  // no credential file: the config value stays
        }
    }

    @Test func credentialsAloneSatisfyTheKeys() throws {
        try withTemporaryDirectory { directory in
            for name in ["authy-app-api-key", "authy-access-key", "authy-api-signing-key"] {
                try write("value-of-\(name)", to: directory + "/" + name)
            }
            let config = try parse("", environment: ["CREDENTIALS_DIRECTORY": directory + "/"])
            #expect(config.authy.appAPIKey == "value-of-authy-app-api-key")
            #expect(config.authy.accessKey == "value-of-authy-access-key")
            #expect(config.authy.apiSigningKey == "value-of-authy-api-signing-key")
            #expect(config.authy.missingCredentials.isEmpty)
        }
    }

    @Test func withoutTheVariableNoCredentialFileIsRead() throws {
        try withTemporaryDirectory { directory in
            try write("from-file", to: directory + "/authy-app-api-key")
            #expect(try parse("").authy.appAPIKey == nil)
            #expect(try parse("", environment: ["CREDENTIALS_DIRECTORY": ""]).authy.appAPIKey == nil)
        }
    }

    /// The packaged unit loads credentials from files tmpfiles creates empty; empty means "not configured", and
    /// a value in the configuration file is kept.
    @Test func anEmptyCredentialFileMeansNotConfigured() throws {
        try withTemporaryDirectory { directory in
            try write("\n", to: directory + "/authy-access-key")
            try write("", to: directory + "/authy-app-api-key")
            let configuration = try parse("[Authy]\nAppAPIKey=from-config\n", environment: ["CREDENTIALS_DIRECTORY": directory])
            #expect(configuration.authy.accessKey == nil)
            #expect(configuration.authy.appAPIKey == "from-config")
            #expect(configuration.authy.missingCredentials.contains { $0.hasPrefix("AccessKey") })
        }
    }

    @Test func aMultiLineCredentialIsAnErrorWithoutShowingIt() throws {
        try withTemporaryDirectory { directory in
            try write("first-secret-line\nsecond-secret-line\n", to: directory + "/authy-api-signing-key")
            let error = parseError("", environment: ["CREDENTIALS_DIRECTORY": directory])
            #expect(error?.code == "config_invalid_value")
            #expect(error?.description.contains("secret-line") == false)
        }
    }

    @Test func anUnreadableCredentialIsAnError() throws {
        try withTemporaryDirectory { directory in
            // A directory where a file is expected fails to read for root too, unlike a chmod 000 file.
            try FileManager.default.createDirectory(atPath: directory + "/authy-app-api-key", withIntermediateDirectories: true)
            let error = parseError("", environment: ["CREDENTIALS_DIRECTORY": directory])
            #expect(error?.code == "config_unreadable")
            #expect(error?.file == directory + "/authy-app-api-key")
        }
    }
}

import Foundation

/// A `[Forward]` section while it is read: the settings so far and where the keys that need a partner were set.
struct ForwardDraft {
    var name: String?
    var url: String?
    var exec: [String]?
    var events: [String] = []
    var webhooks: [String] = []
    var secret: String?
    var timeout = ForwardSettings.defaultTimeout
    var concurrency: Int?
    var ordering = ForwardSettings.Ordering.parallel
    var retrySchedule = ForwardSettings.defaultRetrySchedule
}

extension ConfigurationSchema {
    static let forwardSection = "Forward"

    /// `[Forward]` keys: one section per target, never merged (a second section with the same `Name=` is an error).
    static let forwardKeys: [KeySpec<ForwardDraft>] = [
        KeySpec(name: "Name") { draft, assignment throws(ConfigurationError) in
            guard (1...64).contains(assignment.value.utf8.count), assignment.value.unicodeScalars.allSatisfy(isForwardNameScalar) else {
                throw assignment.invalid("expected a target name of 1 to 64 letters, digits, _ or -")
            }
            draft.name = assignment.value
        },
        KeySpec(name: "URL") { draft, assignment throws(ConfigurationError) in
            draft.url = assignment.value.isEmpty ? nil : try assignment.httpURL(originOnly: false)
        },
        KeySpec(name: "Exec") { draft, assignment throws(ConfigurationError) in
            guard !assignment.value.isEmpty else {
                draft.exec = nil
                return
            }
            let words: [String]
            do throws(ValueFormatError) { words = try CommandLineWords.split(assignment.value) } catch { throw assignment.invalid(error.message) }
            guard let program = words.first, program.hasPrefix("/") else {
                throw assignment.invalid("the program must be an absolute path (no shell runs it)")
            }
            var status = stat()
            // access(2) says yes to root for any file with an execute bit; a file with none is never a program.
            guard stat(program, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, (status.st_mode & 0o111) != 0,
                  access(program, X_OK) == 0 else {
                throw assignment.invalid("\(program) is not an executable file")
            }
            draft.exec = words
        },
        KeySpec(name: "Events") { draft, assignment throws(ConfigurationError) in
            let names = assignment.value.split(whereSeparator: { $0.isWhitespace }).map(String.init)
            if names.isEmpty { draft.events = [] }
            for name in names {
                guard name.count <= 100, name.unicodeScalars.allSatisfy(isEventNameScalar) else {
                    throw assignment.invalid("\"\(name.prefix(100))\" is not an event type (letters, digits, _ . : -)")
                }
                if !draft.events.contains(name) { draft.events.append(name) }
            }
        },
        KeySpec(name: "Webhooks") { draft, assignment throws(ConfigurationError) in
            let names = assignment.value.split(whereSeparator: { $0.isWhitespace }).map(String.init)
            if names.isEmpty { draft.webhooks = [] }
            for name in names where !draft.webhooks.contains(name) { draft.webhooks.append(name) }
        },
        KeySpec(name: "Secret", isSecret: true) { draft, assignment throws(ConfigurationError) in
            guard let secret = try assignment.secret() else {
                draft.secret = nil
                return
            }
            guard ForwardSecret.isValid(secret) else {
                throw assignment.invalid("expected whsec_ followed by the base64 of 24 to 64 bytes", secret: true)
            }
            draft.secret = secret
        },
        KeySpec(name: "Timeout") { draft, assignment throws(ConfigurationError) in
            draft.timeout = try assignment.timeSpan(atLeast: .milliseconds(1), atMost: .seconds(3600))
        },
        KeySpec(name: "Concurrency") { draft, assignment throws(ConfigurationError) in
            draft.concurrency = try assignment.integer(atLeast: 1, atMost: 256)
        },
        KeySpec(name: "Ordering") { draft, assignment throws(ConfigurationError) in
            draft.ordering = try assignment.choice(ForwardSettings.Ordering.self)
        },
        KeySpec(name: "RetrySchedule") { draft, assignment throws(ConfigurationError) in
            // Each word is one wait: "5min 30min" is two retries here, not the single span systemd would read.
            var waits: [Duration] = []
            for word in assignment.value.split(whereSeparator: { $0.isWhitespace }) {
                let wait: Duration
                do throws(ValueFormatError) { wait = try TimeSpan.parse(String(word)) } catch { throw assignment.invalid(error.message) }
                guard wait <= .seconds(86400 * 7) else { throw assignment.invalid("a wait must be at most 7d") }
                waits.append(wait)
            }
            guard waits.count <= 100 else { throw assignment.invalid("at most 100 waits") }
            draft.retrySchedule = waits
        },
    ]

    static func isForwardNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-")
    }

    static func isEventNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_.:-".unicodeScalars.contains(scalar))
    }
}

/// Standard Webhooks secrets: `whsec_` and the base64 of the HMAC key.
public enum ForwardSecret {
    /// The HMAC key of a `whsec_…` secret, or nil when it is not one of 24 to 64 bytes.
    public static func key(_ secret: String) -> [UInt8]? {
        guard secret.hasPrefix("whsec_"), let data = Data(base64Encoded: String(secret.dropFirst(6))),
              (24...64).contains(data.count) else { return nil }
        return Array(data)
    }

    static func isValid(_ secret: String) -> Bool { key(secret) != nil }
}

extension DaemonConfiguration {
    /// Reads one `[Forward]` section into a target.
    static func applyForward(_ section: INISection, to builder: inout ConfigurationBuilder) throws(ConfigurationError) {
        var draft = ForwardDraft()
        let keys = ConfigurationSchema.forwardKeys
        var urlLine: Assignment?
        for assignment in section.assignments {
            guard let key = keys.first(where: { $0.name == assignment.key }) else {
                throw unknownKey(assignment, in: section.name, known: keys.map(\.name))
            }
            try key.apply(&draft, assignment)
            if assignment.key == "URL" || assignment.key == "Exec" { urlLine = assignment }
            if key.isSecret, !assignment.value.isEmpty { builder.filesWithSecrets.insert(assignment.file) }
        }
        guard let name = draft.name else {
            throw .missingKey(section.file, section.line, "[Forward] section without Name=")
        }
        let destination: ForwardSettings.Destination
        switch (draft.url, draft.exec) {
        case (let url?, nil): destination = .url(url)
        case (nil, let exec?): destination = .exec(exec)
        case (.some, .some):
            throw .invalidValue(urlLine?.file ?? section.file, urlLine?.line ?? section.line,
                                "forward target \"\(name)\" has both URL= and Exec=; a target has exactly one")
        case (nil, nil):
            throw .missingKey(section.file, section.line, "forward target \"\(name)\" needs URL= or Exec=")
        }
        if let earlier = builder.configuration.forwards.first(where: { $0.name == name }) {
            throw .duplicate(section.file, section.line, "a forward target named \"\(name)\" is already declared at \(earlier.location)")
        }
        builder.configuration.forwards.append(ForwardSettings(
            name: name, destination: destination, events: draft.events, webhooks: draft.webhooks, secret: draft.secret,
            timeout: draft.timeout, concurrency: draft.concurrency, ordering: draft.ordering,
            retrySchedule: draft.retrySchedule, location: "\(section.file):\(section.line)"))
    }
}

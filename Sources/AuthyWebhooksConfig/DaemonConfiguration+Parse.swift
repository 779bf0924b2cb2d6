extension DaemonConfiguration {
    /// Parses configuration text (for tests and fuzzing): one or more (fileName, text) in order, as the main file and
    /// then its drop-ins. Applies credential files from `environment["CREDENTIALS_DIRECTORY"]` when set.
    public static func parse(_ files: [(name: String, text: String)],
                             environment: [String: String] = [:]) throws(ConfigurationError) -> DaemonConfiguration {
        try build(files, environment: environment).configuration
    }

    /// The parser proper; also reports which files assign secrets, for `load`'s permission check.
    static func build(_ files: [(name: String, text: String)], environment: [String: String])
        throws(ConfigurationError) -> ConfigurationBuilder {
        var builder = ConfigurationBuilder()
        for file in files {
            for section in try INIFile.sections(file: file.name, text: file.text) {
                try apply(section, to: &builder)
            }
        }
        try finish(&builder)
        try applyCredentials(environment: environment, to: &builder.configuration)
        builder.configuration.sourceFiles = files.map(\.name)
        return builder
    }

    private static func apply(_ section: INISection, to builder: inout ConfigurationBuilder) throws(ConfigurationError) {
        if section.name == ConfigurationSchema.webhookSection {
            try applyWebhook(section, to: &builder)
            return
        }
        if section.name == ConfigurationSchema.forwardSection {
            try applyForward(section, to: &builder)
            return
        }
        guard let keys = ConfigurationSchema.sections.first(where: { $0.name == section.name })?.keys else {
            let known = (ConfigurationSchema.sections.map(\.name) + [ConfigurationSchema.webhookSection, ConfigurationSchema.forwardSection])
            throw .unknownSection(section.file, section.line,
                                  "unknown section [\(section.name)]\(suggestion(section.name, in: known, format: { "[\($0)]" })); "
                                      + "known sections: " + known.map { "[\($0)]" }.joined(separator: ", "))
        }
        for assignment in section.assignments {
            guard let key = keys.first(where: { $0.name == assignment.key }) else {
                throw unknownKey(assignment, in: section.name, known: keys.map(\.name))
            }
            try key.apply(&builder, assignment)
            if key.isSecret, !assignment.value.isEmpty { builder.filesWithSecrets.insert(assignment.file) }
        }
    }

    /// A `[Webhook]` section joins the webhook its `Name=` names, so drop-ins can add keys to a webhook declared in
    /// the main file; later keys win.
    private static func applyWebhook(_ section: INISection, to builder: inout ConfigurationBuilder) throws(ConfigurationError) {
        let keys = ConfigurationSchema.webhookKeys
        var name: String?
        for assignment in section.assignments where assignment.key == "Name" {
            guard !assignment.value.isEmpty, assignment.value.count <= 200 else {
                throw assignment.invalid("expected a webhook name of 1 to 200 characters")
            }
            if let name, name != assignment.value {
                throw .duplicate(assignment.file, assignment.line,
                                 "this [Webhook] section already has Name=\(name); a section describes one webhook")
            }
            name = assignment.value
        }
        guard let name else {
            throw .missingKey(section.file, section.line, "[Webhook] section without Name=")
        }
        var draft = builder.webhooks[name] ?? WebhookDraft(
            settings: WebhookSettings(name: name, location: "\(section.file):\(section.line)"))
        for assignment in section.assignments {
            guard let key = keys.first(where: { $0.name == assignment.key }) else {
                throw unknownKey(assignment, in: section.name, known: keys.map(\.name))
            }
            try key.apply(&draft, assignment)
            if key.isSecret, !assignment.value.isEmpty { builder.filesWithSecrets.insert(assignment.file) }
        }
        if builder.webhooks[name] == nil { builder.webhookOrder.append(name) }
        builder.webhooks[name] = draft
    }

    /// Checks that need every file read: defaults of emptied lists, URL=/Events= pairs, shared signing keys.
    private static func finish(_ builder: inout ConfigurationBuilder) throws(ConfigurationError) {
        if builder.configuration.receiver.listen.isEmpty {
            builder.configuration.receiver.listen = ReceiverSettings.default.listen
        }
        var keyOwners: [String: WebhookDraft] = [:]
        var webhooks: [WebhookSettings] = []
        for name in builder.webhookOrder {
            guard let draft = builder.webhooks[name] else { continue }
            let webhook = draft.settings
            if webhook.url != nil, webhook.events.isEmpty, let at = draft.urlAssignment {
                throw .missingKey(at.file, at.line, "webhook \"\(name)\" has URL= but no Events=; list the events it should receive")
            }
            if webhook.url == nil, !webhook.events.isEmpty, let at = draft.eventsAssignment {
                throw .missingKey(at.file, at.line, "webhook \"\(name)\" has Events= but no URL=; Events= only describes a webhook to create")
            }
            if let key = webhook.signingKey, let at = draft.signingKeyAssignment {
                if let other = keyOwners[key] {
                    throw .duplicate(at.file, at.line,
                                     "webhook \"\(name)\" has the same SigningKey= as webhook \"\(other.settings.name)\" "
                                         + "(\(other.signingKeyAssignment?.location ?? other.settings.location))")
                }
                keyOwners[key] = draft
            }
            webhooks.append(webhook)
        }
        builder.configuration.webhooks = webhooks
    }

    static func unknownKey(_ assignment: Assignment, in section: String, known: [String]) -> ConfigurationError {
        .unknownKey(assignment.file, assignment.line,
                    "unknown key \(assignment.key)= in [\(section)]\(suggestion(assignment.key, in: known, format: { "\($0)=" })); "
                        + "known keys: " + known.map { "\($0)=" }.joined(separator: ", "))
    }

    /// ` (did you mean X?)` when the name differs from a known one only in case: keys are case-sensitive, as in systemd.
    private static func suggestion(_ name: String, in known: [String], format: (String) -> String) -> String {
        guard let match = known.first(where: { $0.lowercased() == name.lowercased() }) else { return "" }
        return " (did you mean \(format(match))?)"
    }
}

import Foundation

extension DaemonConfiguration {
    /// The effective configuration as INI text, secrets masked (`SigningKey=<masked>`), for --check-config.
    ///
    /// Every key is listed with its effective value; an empty value means unset. Without secrets, the output parses
    /// back to the same settings.
    public func renderEffective() -> String {
        var lines: [String] = ["# Effective configuration of authy-webhooksd."]
        if !sourceFiles.isEmpty { lines.append("# Read from: " + sourceFiles.joined(separator: ", ")) }
        lines.append("# Secrets are shown as <masked>; an empty value means unset.")
        for warning in warnings { lines.append("# Warning: \(warning)") }

        lines += ["", "[Receiver]"]
        lines += receiver.listen.map { "Listen=\($0)" }
        lines += [
            "Path=\(receiver.path)",
            "PublicURL=\(receiver.publicURL ?? "")",
            "MaxBodySize=\(ByteSize.format(receiver.maxBodySize))",
            "MaxHeaderSize=\(ByteSize.format(receiver.maxHeaderSize))",
            "ReadTimeout=\(TimeSpan.format(receiver.readTimeout))",
            "IdleTimeout=\(TimeSpan.format(receiver.idleTimeout))",
            "MaxConnections=\(receiver.maxConnections)",
            "MaxPendingWrites=\(receiver.maxPendingWrites)",
            "RetiredKeyGrace=\(TimeSpan.format(receiver.retiredKeyGrace))",
            "",
            "[Store]",
            "Database=\(store.database)",
            "Synchronous=\(store.synchronous.rawValue)",
            "BusyTimeout=\(TimeSpan.format(store.busyTimeout))",
            "Retention=\(store.retention.map(TimeSpan.format) ?? "0")",
            "",
            "[Control]",
            "Socket=\(control.socket)",
            "SocketMode=\(octalMode(control.socketMode))",
            "SocketGroup=\(control.socketGroup ?? "")",
            "AdminGroup=\(control.adminGroup ?? "")",
            "MaxBodySize=\(ByteSize.format(control.maxBodySize))",
            "ReadTimeout=\(TimeSpan.format(control.readTimeout))",
            "MaxHeaderSize=\(ByteSize.format(control.maxHeaderSize))",
            "IdleTimeout=\(TimeSpan.format(control.idleTimeout))",
            "MaxConnections=\(control.maxConnections)",
            "",
            "[Authy]",
            "APIURL=\(authy.apiURL)",
            "AppAPIKey=\(maskedValue(authy.appAPIKey))",
            "AccessKey=\(maskedValue(authy.accessKey))",
            "APISigningKey=\(maskedValue(authy.apiSigningKey))",
            "RequestTimeout=\(TimeSpan.format(authy.requestTimeout))",
            "",
            "[Log]",
            "Level=\(log.level.rawValue)",
        ]
        for webhook in webhooks {
            lines += [
                "",
                "# declared at \(webhook.location)",
                "[Webhook]",
                "Name=\(webhook.name)",
                "SigningKey=\(maskedValue(webhook.signingKey))",
                "URL=\(webhook.url ?? "")",
                "Events=\(webhook.events.joined(separator: " "))",
            ]
        }
        for target in forwards {
            var destination: String
            switch target.destination {
            case .url(let url): destination = "URL=\(url)"
            case .exec(let words): destination = "Exec=" + words.map(Self.quotedWord).joined(separator: " ")
            }
            lines += [
                "",
                "# declared at \(target.location)",
                "[Forward]",
                "Name=\(target.name)",
                destination,
                "Events=\(target.events.joined(separator: " "))",
                "Webhooks=\(target.webhooks.joined(separator: " "))",
                "Secret=\(maskedValue(target.secret))",
                "Timeout=\(TimeSpan.format(target.timeout))",
                "Concurrency=\(target.concurrency)",
                "Ordering=\(target.ordering.rawValue)",
                "RetrySchedule=\(target.retrySchedule.map { TimeSpan.format($0).replacingOccurrences(of: " ", with: "") }.joined(separator: " "))",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A word of `Exec=` quoted so that it splits back the same way.
    private static func quotedWord(_ word: String) -> String {
        if !word.isEmpty, !word.contains(where: { $0.isWhitespace || "\"'\\".contains($0) }) { return word }
        return "\"" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
    }

    private func maskedValue(_ secret: String?) -> String { secret == nil ? "" : "<masked>" }

    private func octalMode(_ mode: UInt32) -> String {
        let digits = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

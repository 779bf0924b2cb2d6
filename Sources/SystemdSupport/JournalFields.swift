import Logging

/// Builds the `FIELD=value` entries of one journal record. Pure, so the mapping is testable without journald.
enum JournalFields {
    /// Fields the handler writes itself; metadata keys mapping onto them are prefixed with `META_` so a stray
    /// `message` or `priority` metadata entry cannot forge or duplicate them. `MESSAGE_ID` is deliberately absent:
    /// it comes from metadata (see ``JournalMessageID``).
    static let reserved: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "ERROR",
    ]

    /// journald's limit on field names.
    static let maximumNameLength = 64

    /// The syslog priority journald expects (0 emerg … 7 debug); swift-log has no emerg/alert.
    static func priority(for level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// A metadata key as a journal field name: upper-cased, every character outside `A-Z0-9` replaced by `_`.
    /// journald rejects names starting with `_` (reserved for trusted fields) or a digit, so those get a `META`
    /// prefix, as do names colliding with ``reserved``; over-long names are cut at 64 characters.
    static func fieldName(forMetadataKey key: String) -> String {
        var name = String(key.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z": Character(String(scalar).uppercased())
            case "A"..."Z", "0"..."9": Character(scalar)
            default: "_"
            }
        })
        if name.isEmpty || name.first == "_" || name.first!.isNumber {
            name = "META" + (name.first == "_" ? "" : "_") + name
        } else if reserved.contains(name) {
            name = "META_" + name
        }
        return String(name.prefix(maximumNameLength))
    }

    /// Every entry of one record: the handler's own fields first, then metadata sorted by key. An array value
    /// becomes the same field repeated once per element (journald allows repeats, and `journalctl FIELD=value`
    /// matches any of them); a dictionary becomes one field per entry, named `KEY_SUBKEY`.
    static func entries(
        message: String,
        level: Logger.Level,
        identifier: String,
        file: String,
        line: UInt,
        function: String,
        error: (any Error)? = nil,
        metadata: Logger.Metadata
    ) -> [String] {
        var entries = [
            "MESSAGE=\(message)",
            "PRIORITY=\(priority(for: level))",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "CODE_FILE=\(file)",
            "CODE_LINE=\(line)",
            "CODE_FUNC=\(function)",
        ]
        if let error {
            entries.append("ERROR=\(error)")
        }
        for key in metadata.keys.sorted() {
            append(metadata[key]!, as: fieldName(forMetadataKey: key), to: &entries)
        }
        return entries
    }

    private static func append(_ value: Logger.MetadataValue, as name: String, to entries: inout [String]) {
        switch value {
        case .string(let text):
            entries.append("\(name)=\(text)")
        case .stringConvertible(let convertible):
            entries.append("\(name)=\(convertible.description)")
        case .array(let elements):
            for element in elements {
                // Nested arrays flatten into the same repeated field; that is what a filter wants to match.
                append(element, as: name, to: &entries)
            }
        case .dictionary(let dictionary):
            for key in dictionary.keys.sorted() {
                let nested = fieldName(forMetadataKey: name + "_" + key)
                append(dictionary[key]!, as: nested, to: &entries)
            }
        }
    }
}

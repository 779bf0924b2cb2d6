import Foundation
import Testing
@testable import AuthyWebhooksConfig

/// `authy-webhooksd.conf(5)` (packaging/man) and the reference file (etc/) are written by hand for people; these tests
/// hold both to the configuration schema, so a key added, removed or made start-only without them fails here.
@Suite struct ManualPageTests {
    static let restartMarker = "# Needs a restart: a reload (SIGHUP) keeps the running value."

    /// One `.It Cm Key=` entry of the page: its section, key and the text up to the next entry.
    struct Entry {
        var section: String
        var key: String
        var lines: [String]

        /// "applies" or "needs a restart", from the entry's `Reload:` line.
        var reload: String? {
            lines.first { $0.hasPrefix("Reload: ") }.map { String($0.dropFirst("Reload: ".count).dropLast()) }
        }

        /// The `Default:` value: `.Ql VALUE .` on the next line, or "" for "Default: empty…".
        var defaultValue: String? {
            guard let index = lines.firstIndex(where: { $0.hasPrefix("Default:") }) else { return nil }
            if lines[index].hasPrefix("Default: empty") { return "" }
            guard index + 1 < lines.count, lines[index + 1].hasPrefix(".Ql ") else { return nil }
            var value = lines[index + 1].dropFirst(".Ql ".count)
            if value.hasSuffix(" .") { value = value.dropLast(2) }
            return String(value)
        }
    }

    static func page() throws -> String {
        try String(contentsOfFile: ShippedFilesTests.etc + "/../packaging/man/authy-webhooksd.conf.5", encoding: .utf8)
    }

    /// Every key entry, in page order, under its `.Ss "[Section]"`.
    static func entries() throws -> [Entry] {
        var entries: [Entry] = []
        var section: String?
        for line in try page().split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix(".Ss \"[") {
                section = String(line.dropFirst(".Ss \"[".count).prefix { $0 != "]" })
            } else if line.hasPrefix(".Sh ") {
                section = nil
            } else if let section, line.hasPrefix(".It Cm "), line.hasSuffix("=") {
                entries.append(Entry(section: section, key: String(line.dropFirst(".It Cm ".count).dropLast()), lines: []))
            } else if section != nil, !entries.isEmpty {
                entries[entries.count - 1].lines.append(line)
            }
        }
        return entries
    }

    @Test("the page lists every key of every section, in the schema's order, and no other")
    func thePageListsExactlyTheSchemasKeys() throws {
        let entries = try Self.entries()
        let listed = Dictionary(grouping: entries, by: \.section).mapValues { $0.map(\.key) }
        for (section, keys) in DaemonConfiguration.knownKeys {
            #expect(listed[section] == keys, "[\(section)] in authy-webhooksd.conf(5)")
        }
        #expect(Set(listed.keys) == Set(DaemonConfiguration.knownKeys.map(\.section)))
    }

    @Test("each key says whether a reload applies it, as the schema decides")
    func thePageSaysWhatAReloadApplies() throws {
        let startOnly = Set(DaemonConfiguration.startOnlyKeys)
        #expect(startOnly.count == 14)
        for entry in try Self.entries() {
            let expected = startOnly.contains("[\(entry.section)] \(entry.key)=") ? "needs a restart" : "applies"
            #expect(entry.reload == expected, "[\(entry.section)] \(entry.key)=")
        }
    }

    @Test("the page's defaults are those of the reference file, which are the real ones")
    func thePagesDefaultsAreTheReferenceDefaults() throws {
        let reference = try ShippedFilesTests.text("authy-webhooksd.conf")
        for entry in try Self.entries() where ![ConfigurationSchema.webhookSection, ConfigurationSchema.forwardSection].contains(entry.section) {
            let block = ShippedFilesTests.block(of: entry.section, in: reference)
            let line = block.split(separator: "\n").first { $0.hasPrefix("#\(entry.key)=") }
            let documented = line.map { String($0.dropFirst(entry.key.count + 2)) }
            #expect(entry.defaultValue != nil, "[\(entry.section)] \(entry.key)= has no Default: in the page")
            #expect(entry.defaultValue == documented, "[\(entry.section)] \(entry.key)=")
        }
    }

    @Test("the reference file marks exactly the start-only keys with \"Needs a restart\"")
    func theReferenceMarksTheStartOnlyKeys() throws {
        let lines = try ShippedFilesTests.text("authy-webhooksd.conf").split(separator: "\n", omittingEmptySubsequences: false)
        var marked: [String] = []
        var section = ""
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("[") || line.hasPrefix("#[") {
                section = String(line.drop { $0 == "#" || $0 == "[" }.prefix { $0 != "]" })
            }
            if line == Self.restartMarker {
                let next = index + 1 < lines.count ? lines[index + 1] : ""
                #expect(next.hasPrefix("#") && next.contains("="), "the marker on line \(index + 1) is not above a key")
                marked.append("[\(section)] \(next.dropFirst().prefix { $0 != "=" })=")
            }
        }
        #expect(marked == DaemonConfiguration.startOnlyKeys)
    }
}

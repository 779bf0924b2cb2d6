import Logging
import Testing
@testable import SystemdSupport

@Suite("Journal fields")
struct JournalFieldsTests {
    @Test(arguments: [
        ("delivery_id", "DELIVERY_ID"), ("event_type", "EVENT_TYPE"), ("webhook", "WEBHOOK"),
        ("verify_result", "VERIFY_RESULT"), ("remote_addr", "REMOTE_ADDR"), ("message_id", "MESSAGE_ID"),
        ("http.status-code", "HTTP_STATUS_CODE"), ("Ünïcode key", "META_N_CODE_KEY"),
    ])
    func metadataKeysBecomeJournalFieldNames(key: String, field: String) {
        #expect(JournalFields.fieldName(forMetadataKey: key) == field)
    }

    @Test func namesJournaldWouldRejectOrReservedNamesGetAPrefix() {
        #expect(JournalFields.fieldName(forMetadataKey: "_hidden") == "META_HIDDEN")
        #expect(JournalFields.fieldName(forMetadataKey: "2fa") == "META_2FA")
        #expect(JournalFields.fieldName(forMetadataKey: "message") == "META_MESSAGE")
        #expect(JournalFields.fieldName(forMetadataKey: "priority") == "META_PRIORITY")
        #expect(JournalFields.fieldName(forMetadataKey: String(repeating: "a", count: 100)).count == 64)
    }

    @Test(arguments: [
        (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func levelsMapToSyslogPriorities(level: Logger.Level, priority: Int) {
        #expect(JournalFields.priority(for: level) == priority)
    }

    @Test func anEntryCarriesStandardFieldsThenSortedMetadata() {
        let entries = JournalFields.entries(
            message: "delivery accepted", level: .notice, identifier: "authy-webhooksd",
            file: "AuthyWebhooksDaemon/Receiver.swift", line: 42, function: "handle(_:)",
            metadata: [
                "webhook": "prod", "delivery_id": "dlv_1", "message_id": .string(JournalMessageID.deliveryAccepted),
                "attempt": .stringConvertible(3),
            ]
        )
        #expect(entries == [
            "MESSAGE=delivery accepted",
            "PRIORITY=5",
            "SYSLOG_IDENTIFIER=authy-webhooksd",
            "CODE_FILE=AuthyWebhooksDaemon/Receiver.swift",
            "CODE_LINE=42",
            "CODE_FUNC=handle(_:)",
            "ATTEMPT=3",
            "DELIVERY_ID=dlv_1",
            "MESSAGE_ID=975ad7f75a5c474eadb4352e9d574200",
            "WEBHOOK=prod",
        ])
    }

    @Test func anArrayValueRepeatsTheFieldOncePerElement() {
        let entries = JournalFields.entries(
            message: "m", level: .info, identifier: "x", file: "f", line: 1, function: "g",
            metadata: ["event_type": ["user_added", "user_removed"]]
        )
        #expect(entries.filter { $0.hasPrefix("EVENT_TYPE=") } == ["EVENT_TYPE=user_added", "EVENT_TYPE=user_removed"])
    }

    @Test func aDictionaryValueBecomesOneFieldPerEntry() {
        let entries = JournalFields.entries(
            message: "m", level: .info, identifier: "x", file: "f", line: 1, function: "g",
            metadata: ["request": ["id": "req_1", "method": "POST"]]
        )
        #expect(entries.suffix(2) == ["REQUEST_ID=req_1", "REQUEST_METHOD=POST"])
    }

    @Test func aMetadataEntryCannotReplaceTheMessageOrPriority() {
        let entries = JournalFields.entries(
            message: "real", level: .info, identifier: "x", file: "f", line: 1, function: "g",
            metadata: ["message": "forged", "priority": "0"]
        )
        #expect(entries.filter { $0.hasPrefix("MESSAGE=") } == ["MESSAGE=real"])
        #expect(entries.filter { $0.hasPrefix("PRIORITY=") } == ["PRIORITY=6"])
        #expect(entries.contains("META_MESSAGE=forged"))
    }

    @Test func multiLineValuesStayInOneEntry() {
        // sd_journal_sendv is length-based, so a newline inside a value is kept, not split into a new field.
        let entries = JournalFields.entries(
            message: "line one\nline two", level: .info, identifier: "x", file: "f", line: 1, function: "g",
            metadata: [:]
        )
        #expect(entries.first == "MESSAGE=line one\nline two")
    }

    @Test func messageIDsAre128BitLowercaseHexAndDistinct() {
        let ids = JournalMessageID.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.count == 32)
            #expect(id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
    }
}

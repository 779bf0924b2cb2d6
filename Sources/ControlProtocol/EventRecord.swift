import Foundation

/// One stored event as it crosses the socket and as `authyctl --output json|jsonl` prints it.
///
/// The daemon writes these objects itself (``jsonLine(…)``) so that `payload` (the event item exactly as received)
/// is spliced in without being decoded and re-encoded; the client decodes only what it shows in a table.
public struct EventRecord: Decodable, Sendable, Equatable {
    public var id: Int64
    /// The event name, `unknown` when the payload could not be read.
    public var type: String
    public var receivedAt: Date
    public var occurredAt: String?
    /// Name of the webhook whose key verified the delivery.
    public var webhook: String
    public var deliveryID: Int64
    public var requestID: String?

    enum CodingKeys: String, CodingKey {
        case id, type, webhook
        case receivedAt = "received_at"
        case occurredAt = "occurred_at"
        case deliveryID = "delivery_id"
        case requestID = "request_id"
    }

    /// The JSON object of one event, keys in a fixed order, `payload` spliced in verbatim (it must be JSON text).
    public static func jsonLine(
        id: Int64, type: String?, receivedAtMicros: Int64, occurredAt: String?, webhook: String, deliveryID: Int64,
        requestID: String?, payloadJSON: String
    ) -> String {
        var line = "{\"id\":\(id),\"type\":"
        line += JSONText.quoted(type ?? "unknown")
        line += ",\"received_at\":\"" + Timestamp.rfc3339(micros: receivedAtMicros) + "\""
        line += ",\"occurred_at\":" + (occurredAt.map(JSONText.quoted) ?? "null")
        line += ",\"webhook\":" + JSONText.quoted(webhook)
        line += ",\"delivery_id\":\(deliveryID)"
        line += ",\"request_id\":" + (requestID.map(JSONText.quoted) ?? "null")
        line += ",\"payload\":" + payloadJSON + "}"
        return line
    }
}

/// Minimal JSON text helpers for hand-built lines.
public enum JSONText {
    /// `s` as a JSON string literal, escaped per RFC 8259.
    ///
    /// Works on UTF-8 bytes (the bytes to escape are all ASCII, and never occur inside a multi-byte sequence), and
    /// most strings need no escape at all: the events query quotes several strings per line, and appending scalar by
    /// scalar was half of the daemon's time for `authyctl events` (perf).
    public static func quoted(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) else {
            return "\"" + s + "\""
        }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(s.utf8.count + 16)
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }
}

/// `GET /v1/events/{id}`: one event, its delivery and, for `--raw`, the token and its decoded parts.
public struct EventDetail: Codable, Sendable, Equatable {
    /// The delivery that brought the event.
    public struct Delivery: Codable, Sendable, Equatable {
        public var id: Int64
        public var receivedAt: Date
        public var remoteAddress: String?
        public var webhook: String
        public var webhookID: String?
        public var eventCount: Int

        enum CodingKeys: String, CodingKey {
            case id, webhook
            case receivedAt = "received_at"
            case remoteAddress = "remote_addr"
            case webhookID = "webhook_id"
            case eventCount = "event_count"
        }

        public init(id: Int64, receivedAt: Date, remoteAddress: String?, webhook: String, webhookID: String?, eventCount: Int) {
            self.id = id
            self.receivedAt = receivedAt
            self.remoteAddress = remoteAddress
            self.webhook = webhook
            self.webhookID = webhookID
            self.eventCount = eventCount
        }
    }

    /// The token as received and its two decoded JSON parts, as text exactly as they were signed.
    public struct Raw: Codable, Sendable, Equatable {
        public var token: String
        public var header: String
        public var claims: String

        public init(token: String, header: String, claims: String) {
            self.token = token
            self.header = header
            self.claims = claims
        }
    }

    /// The event object (same shape as a line of `events --output jsonl`), as JSON text.
    public var event: String
    public var delivery: Delivery
    /// Present when asked for (`?raw=1`).
    public var raw: Raw?
    /// Where the event stands with each forward target it is owed to, with every attempt.
    public var forwarding: [ForwardEventState]?

    public init(event: String, delivery: Delivery, raw: Raw?, forwarding: [ForwardEventState]? = nil) {
        self.event = event
        self.delivery = delivery
        self.raw = raw
        self.forwarding = forwarding
    }
}

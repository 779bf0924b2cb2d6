// Fills a database with COUNT distinct, realistic events through SQLiteEventStore's public API (`record`, the
// daemon's own write path, group-committed in batches), then spreads their receive times evenly over DAYS days
// ending now, so that `--since -1h` selects about COUNT / (24 × DAYS) of them, as on a long-running server.
//
// The store stamps every delivery with the current time (receive times never go backwards), so the spread is a
// second pass in SQL that keeps (received_at, id) in arrival order.
//
// Usage: bench-seed PATH COUNT [DAYS]   (DAYS defaults to 30)
import Crypto
import EventStore
import Foundation
import GRDB

let arguments = CommandLine.arguments
guard arguments.count >= 3, let count = Int(arguments[2]), count > 0 else {
    FileHandle.standardError.write(Data("usage: bench-seed PATH COUNT [DAYS]\n".utf8))
    exit(64)
}
let path = arguments[1]
let days = arguments.count > 3 ? Double(arguments[3]) ?? 30 : 30
let batchSize = 5_000
let types = ["user_added", "phone_verification_started", "phone_verification_completed", "one_touch_request_responded",
             "totp_token_verified", "sms_sent", "user_phone_changed", "device_registration_completed"]
let webhooks = ["production", "staging"]
let started = Date()
let run = UUID().uuidString.lowercased().prefix(8)

let store = try SQLiteEventStore(path: path, options: .init(durability: .normal))
var written = 0
while written < count {
    let n = min(batchSize, count - written)
    var batch: [NewDelivery] = []
    batch.reserveCapacity(n)
    for offset in 0..<n {
        let index = written + offset
        let type = types[index % types.count]
        let requestID = "req_seed_\(run)_\(index)"
        let time = "2026-11-29T10:00:00Z"
        let payload = #"{"event":"\#(type)","objects":{"app":{"s_id":"12345","s_type":"full"},"user":{"i_authy_id":\#(100_000 + index),"#
            + #""s_email":"user\#(index)@example.com","s_country_code":"1"}},"request":{"id":"\#(requestID)","ip":"203.0.113.\#(index % 250 + 1)"},"#
            + #""time":"\#(time)"}"#
        // A token of realistic size (the daemon stores it as received); only its uniqueness matters here.
        let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + Data(payload.utf8).base64EncodedString() + ".seed\(index)"
        batch.append(NewDelivery(
            token: token, tokenSHA256: Array(SHA256.hash(data: Array(token.utf8))), remoteAddress: "203.0.113.\(index % 250 + 1)",
            webhook: webhooks[index % 7 == 0 ? 1 : 0],
            events: [NewEvent(type: type, occurredAt: time, requestID: requestID, payload: payload)]))
    }
    _ = try await store.record(batch)
    written += n
}
try await store.close()

// Spread receive times over the span, newest = now, keeping arrival order.
let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
let step = Int64(days * 86_400 * 1_000_000) / Int64(count)
let queue = try DatabaseQueue(path: path)
try await queue.write { db in
    let maxEvent = try Int64.fetchOne(db, sql: "SELECT max(id) FROM event") ?? 0
    let maxDelivery = try Int64.fetchOne(db, sql: "SELECT max(id) FROM delivery") ?? 0
    try db.execute(sql: "UPDATE event SET received_at = ? - (? - id) * ?", arguments: [now, maxEvent, step])
    try db.execute(sql: "UPDATE delivery SET received_at = ? - (? - id) * ?", arguments: [now, maxDelivery, step])
}
try await queue.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
try queue.close()
let seconds = Date().timeIntervalSince(started)
print("seeded \(count) events in \(String(format: "%.1f", seconds)) s (\(Int(Double(count) / seconds)) events/s) into \(path)")

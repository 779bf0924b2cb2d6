// Fills a database with COUNT distinct, realistic events through SQLiteEventStore's public API (`record`, the
// daemon's own write path, group-committed in batches), then spreads their receive times evenly over DAYS days
// ending now, so that `--since -1h` selects about COUNT / (24 × DAYS) of them, as on a long-running server.
//
// The store stamps every delivery with the current time (receive times never go backwards), so the spread is a
// second pass in SQL that keeps (received_at, id) in arrival order.
//
// Usage: bench-seed PATH COUNT [DAYS]   (DAYS defaults to 30)
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
            token: token, tokenSHA256: SHA256.hash(Array(token.utf8)), remoteAddress: "203.0.113.\(index % 250 + 1)",
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

/// SHA-256 (FIPS 180-4), so the seed needs no crypto library: the store wants each token's digest for dedupe.
enum SHA256 {
    static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    static func hash(_ message: [UInt8]) -> [UInt8] {
        var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
        var data = message
        let bitLength = UInt64(message.count) * 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        var w = [UInt32](repeating: 0, count: 64)
        for chunk in stride(from: 0, to: data.count, by: 64) {
            for i in 0..<16 {
                w[i] = UInt32(data[chunk + 4 * i]) << 24 | UInt32(data[chunk + 4 * i + 1]) << 16
                    | UInt32(data[chunk + 4 * i + 2]) << 8 | UInt32(data[chunk + 4 * i + 3])
            }
            for i in 16..<64 {
                let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
                let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
                w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
            }
            var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
            for i in 0..<64 {
                let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
                let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
                (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
            }
            h = [h[0] &+ a, h[1] &+ b, h[2] &+ c, h[3] &+ d, h[4] &+ e, h[5] &+ f, h[6] &+ g, h[7] &+ hh]
        }
        return h.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> UInt32(24 - 8 * $0)) } }
    }

    static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { x >> n | x << (32 - n) }
}

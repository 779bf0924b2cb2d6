// Writes N distinct, correctly signed deliveries, one request body per line, for bench/ingest.sh and
// bench/latency.sh. Each body is `{"body":"<jwt>"}`: an HS256 JWT signed with KEY whose claims have the shape of the
// reference delivery (url, params.events[1] with event/objects/request/time, iat, jti), with a distinct request id,
// so the daemon's dedupe (SHA-256 of the token) never short-cuts a request.
//
// Usage: bench-tokens COUNT KEY URL > bodies.txt
// The signing is the same construction as Sources/AuthyWebhooksDaemon/Receiver/WebhookTokenSigner.swift (internal there).
import Crypto
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[1]), count > 0 else {
    FileHandle.standardError.write(Data("usage: bench-tokens COUNT KEY URL > bodies.txt\n".utf8))
    exit(64)
}
let key = SymmetricKey(data: Array(arguments[2].utf8))
let url = arguments[3]
let types = ["user_added", "phone_verification_started", "phone_verification_completed", "one_touch_request_responded",
             "totp_token_verified", "sms_sent", "user_phone_changed", "device_registration_completed"]

func base64URL<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    Data(bytes).base64EncodedString()
        .replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}

let header = base64URL(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
let now = Int(Date().timeIntervalSince1970)
let formatter = ISO8601DateFormatter()
let time = formatter.string(from: Date())
let run = UUID().uuidString.lowercased().prefix(8)
var output = ""
output.reserveCapacity(count * 700)
for index in 0..<count {
    let requestID = "req_bench_\(run)_\(index)"
    let type = types[index % types.count]
    let claims = #"{"url":"\#(url)","params":{"events":[{"event":"\#(type)","objects":{"app":{"s_id":"12345","s_type":"full"},"#
        + #""user":{"i_authy_id":\#(100_000 + index),"s_email":"user\#(index)@example.com","s_country_code":"1"}},"#
        + #""request":{"id":"\#(requestID)","ip":"203.0.113.\#(index % 250 + 1)"},"time":"\#(time)"}]},"#
        + #""iat":\#(now),"jti":"\#(requestID)"}"#
    let signingInput = header + "." + base64URL(Array(claims.utf8))
    let mac = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: key)
    output += #"{"body":""# + signingInput + "." + base64URL(mac) + "\"}\n"
    if output.utf8.count > 1 << 20 {
        FileHandle.standardOutput.write(Data(output.utf8))
        output.removeAll(keepingCapacity: true)
    }
}
FileHandle.standardOutput.write(Data(output.utf8))

import AuthyWebhooksConfig
import Foundation

/// One attempt to hand an event to a target: what every kind of target receives.
struct ForwardRequest: Sendable {
    /// The `authyctl events --output jsonl` line of the event: the body (without the newline), or stdin (with it,
    /// so that a handler as plain as `tee -a FILE` writes one line per event).
    var body: [UInt8]
    /// The Standard Webhooks message id: the same on every attempt and replay of this event.
    var webhookID: String
    var eventID: Int64
    var eventType: String
    var webhook: String
    var target: String
    var attempt: Int
    var timeout: Duration
}

/// What a target said of one attempt.
struct ForwardResponse: Sendable, Equatable {
    enum Verdict: Sendable, Equatable {
        /// The handler took the event.
        case delivered
        /// The handler will never take this event (HTTP 410, exit status 65).
        case refused
        /// Try again later; `notBefore` is the handler's own `Retry-After`, when it gave one.
        case failed(notBefore: Duration?)
    }

    var verdict: Verdict
    var httpStatus: Int?
    var exitStatus: Int?
    var signal: Int?
    /// Why it failed, for a human (nil when delivered).
    var error: String?
    /// The last 4 KiB of the answer's body, or of the program's stdout and stderr.
    var output: String?
}

/// A kind of forward target (`URL=`, `Exec=`). A new kind is a new type behind this protocol.
protocol ForwardTarget: Sendable {
    /// Makes one attempt within `request.timeout`. Never throws: every failure is a verdict. When the task is
    /// cancelled (the daemon stops), the attempt is abandoned as quickly as possible.
    func attempt(_ request: ForwardRequest) async -> ForwardResponse
}

/// At most the last `limit` bytes of what a handler wrote: enough to see why it failed, bounded whatever it writes.
struct OutputTail: Sendable {
    static let limit = 4096
    private(set) var bytes: [UInt8] = []

    mutating func append<Bytes: Collection>(_ chunk: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: chunk)
        if bytes.count > 2 * Self.limit { bytes.removeFirst(bytes.count - Self.limit) }
    }

    /// The kept text (invalid UTF-8 replaced), or nil when nothing was written.
    var text: String? {
        let tail = bytes.suffix(Self.limit)
        return tail.isEmpty ? nil : String(decoding: tail, as: UTF8.self)
    }
}

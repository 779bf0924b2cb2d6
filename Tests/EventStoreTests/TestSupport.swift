import Crypto
import EventStore
import Foundation

/// A temp directory removed when the test's scope ends.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "authy-store-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

func delivery(token: String, webhook: String = "main", types: [String?] = ["user_added"], requestID: String? = "req_1") -> NewDelivery {
    NewDelivery(
        token: token, tokenSHA256: Array(SHA256.hash(data: Data(token.utf8))), remoteAddress: "127.0.0.1:5000",
        webhook: webhook,
        events: types.map { type in
            NewEvent(type: type, occurredAt: "2026-11-29T10:00:00Z", requestID: requestID, payload: #"{"event":"\#(type ?? "?")"}"#)
        })
}

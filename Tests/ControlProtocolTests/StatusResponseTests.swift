import ControlProtocol
import Foundation
import Testing

/// The status wire type: a newer authyctl still reads an older daemon's answer.
@Suite("status response")
struct StatusResponseTests {
    static let olderDaemonsAnswer = """
        {"version":"0.1.0","started_at":"2026-11-29T10:00:00Z","uptime_seconds":5,"database_path":"/var/lib/a.sqlite3",
        "database_size_bytes":4096,"deliveries":1,"events":1,"listeners":["127.0.0.1:8080"],
        "delivery_path":"/authy/webhook","control_socket":"/run/a.sock","webhooks":["main"],"missing_credentials":[]}
        """

    @Test func anAnswerWithoutDurabilityStillDecodes() throws {
        let status = try ControlJSON.decoder().decode(StatusResponse.self, from: Data(Self.olderDaemonsAnswer.utf8))
        #expect(status.durability == nil)
        #expect(status.events == 1)
    }

    @Test func durabilityTravelsUnderItsSnakeCaseKey() throws {
        var status = try ControlJSON.decoder().decode(StatusResponse.self, from: Data(Self.olderDaemonsAnswer.utf8))
        status.durability = "full"
        let json = try #require(try JSONSerialization.jsonObject(with: ControlJSON.encoder(pretty: false).encode(status)) as? [String: Any])
        #expect(json["durability"] as? String == "full")
        #expect(try ControlJSON.decoder().decode(StatusResponse.self, from: ControlJSON.encoder(pretty: false).encode(status)) == status)
    }
}

import EventStore
import Foundation
import Logging
import SystemdSupport

/// The one place every committed delivery passes through, whatever received it: the journal entry, the follow
/// streams, the STATUS= count and forwarding all hang off here, never off a responder.
struct CommittedDeliveries: Sendable {
    let state: DaemonState

    func committed(_ batch: [(NewDelivery, RecordOutcome)]) {
        var newest: Int64?
        var stored = 0
        for (delivery, outcome) in batch {
            log(delivery, outcome)
            if let last = outcome.storedEvents.last?.id { newest = max(newest ?? last, last) }
            stored += outcome.storedEvents.count
        }
        guard let newest else { return }
        state.eventCount.add(stored, ordering: .relaxed)
        state.notifier.publish(newestEventID: newest)
        state.forwarder.eventsCommitted()
    }

    private func log(_ delivery: NewDelivery, _ outcome: RecordOutcome) {
        let types = Array(Set(delivery.events.map { $0.type ?? EventQuery.unknownType })).sorted()
        state.logger.info(
            outcome.duplicate ? "delivery \(outcome.deliveryID) was already stored (duplicate)"
                : "delivery \(outcome.deliveryID) accepted: \(outcome.eventCount) event(s) from webhook \(delivery.webhook)",
            metadata: [
                "message_id": .string(JournalMessageID.deliveryAccepted),
                "delivery_id": "\(outcome.deliveryID)",
                "event_type": .array(types.map { .string($0) }),
                "webhook": .string(delivery.webhook),
                "verify_result": .string(outcome.duplicate ? "duplicate" : "accepted"),
                "remote_addr": .string(delivery.remoteAddress ?? "unknown"),
            ])
    }
}

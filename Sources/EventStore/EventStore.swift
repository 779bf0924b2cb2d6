import Foundation

/// Where deliveries, events and the webhook registry are kept.
///
/// The daemon talks to the store only through this protocol, so that a shared store for several receivers
/// (PostgreSQL, on the roadmap) can take the place of ``SQLiteEventStore`` without touching the daemon.
public protocol EventStore: ForwardOutbox {
    /// Writes a batch of verified deliveries in ONE transaction (group commit) and returns one outcome per
    /// delivery, in order. A delivery whose token is already stored is not written again: its outcome carries the
    /// original delivery id and `duplicate == true`. Every new event is owed, in the same transaction, to each of
    /// `routes` that matches it (the forwarding outbox). Returns only once the transaction is durable.
    func record(_ deliveries: [NewDelivery], forwardingTo routes: [ForwardRoute]) async throws(StoreError) -> [RecordOutcome]

    /// One page of events matching `query`, at most `limit`, after (or before, when descending) `cursor`.
    func events(matching query: EventQuery, order: EventOrder, after cursor: EventCursor?, limit: Int) async throws(StoreError) -> [StoredEvent]

    /// The id of the newest event (0 when there is none): the starting point of a `--follow`.
    func newestEventID() async throws(StoreError) -> Int64

    /// One event and the delivery that brought it.
    func event(id: Int64) async throws(StoreError) -> (StoredEvent, StoredDelivery)?

    /// Counts and times for `authyctl status`.
    func statistics() async throws(StoreError) -> StoreStatistics

    /// Writes to the health probe row: succeeds only when a delivery could be committed right now.
    func probeWrite() async throws(StoreError)

    /// Every webhook in the local registry, ordered by name.
    func webhooks() async throws(StoreError) -> [RegisteredWebhook]

    /// Signing keys retired at or after `since` (still inside the grace period).
    func retiredSigningKeys(since: Date) async throws(StoreError) -> [RetiredSigningKey]

    /// Applies a set of registry changes in one transaction; keys of removed or replaced webhooks are retired.
    func applyRegistryChanges(_ changes: [RegistryChange], at time: Date) async throws(StoreError)

    /// Deletes deliveries (and their events) received before `before`, at most `batchSize` per transaction,
    /// giving free pages back. With `dryRun`, only counts. Returns the number of events removed (or that would be).
    func prune(receivedBefore before: Date, batchSize: Int, dryRun: Bool) async throws(StoreError) -> PruneResult

    /// One round of background upkeep, called at most every ``backgroundMaintenanceInterval`` by the daemon, after
    /// a write (``waitUntilMaintenanceIsDue()``), so that deliveries never wait for it (SQLite: a passive WAL
    /// checkpoint on a connection of its own). Failures are the next round's business; nothing here may block a
    /// commit.
    func performBackgroundMaintenance() async

    /// How often the daemon should call ``performBackgroundMaintenance()`` while deliveries keep arriving; nil when
    /// the store needs no upkeep.
    var backgroundMaintenanceInterval: Duration? { get }

    /// Returns once something was written since the last ``performBackgroundMaintenance()`` (at once if something
    /// already was), or when the task is cancelled: an idle daemon sleeps instead of running empty rounds.
    func waitUntilMaintenanceIsDue() async

    /// Closes the database cleanly (the WAL is checkpointed). Further calls fail.
    func close() async throws(StoreError)
}

extension EventStore {
    /// ``record(_:forwardingTo:)`` with no forward targets.
    public func record(_ deliveries: [NewDelivery]) async throws(StoreError) -> [RecordOutcome] {
        try await record(deliveries, forwardingTo: [])
    }
}

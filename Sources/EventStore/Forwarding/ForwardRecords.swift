import Foundation

/// Which events a forward target is owed: what the store needs to fill the outbox in the transaction that stores an
/// event. Empty sets mean "any".
public struct ForwardRoute: Sendable, Equatable {
    public var target: String
    /// Event types; `unknown` matches events without a type.
    public var types: Set<String>
    /// Webhook names.
    public var webhooks: Set<String>

    public init(target: String, types: Set<String> = [], webhooks: Set<String> = []) {
        self.target = target
        self.types = types
        self.webhooks = webhooks
    }

    /// Whether an event of `type` verified by `webhook` is owed to this target.
    public func matches(type: String?, webhook: String) -> Bool {
        (types.isEmpty || types.contains(type ?? EventQuery.unknownType)) && (webhooks.isEmpty || webhooks.contains(webhook))
    }
}

/// A target the configuration declares: its name and kind (`url`, `exec`).
public struct ForwardTargetDeclaration: Sendable, Equatable {
    public var name: String
    public var kind: String

    public init(name: String, kind: String) {
        self.name = name
        self.kind = kind
    }
}

/// Where one event stands with one target.
public enum ForwardJobState: String, Sendable, CaseIterable, Codable {
    /// Waiting for its first attempt (or queued again by `retry`/`replay`).
    case pending
    /// An attempt failed; the next one is scheduled.
    case retrying
    /// An attempt is running.
    case inFlight = "in_flight"
    /// Every attempt allowed failed, or the handler refused it for good.
    case dead
    /// The handler took it.
    case delivered
}

/// The outcome of one attempt.
public enum ForwardAttemptResult: String, Sendable, Codable {
    case delivered, retry, dead
    /// The daemon stopped or died while the attempt ran: it is made again and not counted against the schedule.
    case interrupted
}

/// A claimed job: one event owed to one target, marked in flight until `leaseUntil`.
public struct ForwardJob: Sendable, Equatable {
    public var id: Int64
    public var target: String
    /// This attempt's number, counting every attempt ever made for the job (`Authy-Forward-Attempt:`).
    public var attempt: Int
    /// Attempts since the job was (re)queued, this one included: its place in the retry schedule.
    public var round: Int
    /// The claim that must match when the attempt is finished, so that a worker whose lease ran out and was taken
    /// over cannot finish another's attempt.
    public var claim: String
    public var event: StoredEvent
}

/// What an attempt did, for ``ForwardOutbox/finishForwardAttempts(_:)``.
public struct ForwardAttemptReport: Sendable {
    public var jobID: Int64
    public var claim: String
    public var attempt: Int
    public var startedAt: Date
    public var duration: Duration
    public var result: ForwardAttemptResult
    /// For `retry`: when the next attempt is due.
    public var nextAttemptAt: Date?
    public var httpStatus: Int?
    public var exitStatus: Int?
    public var signal: Int?
    public var error: String?
    /// The last 4 KiB of the answer's body, or of the program's output.
    public var output: String?

    public init(jobID: Int64, claim: String, attempt: Int, startedAt: Date, duration: Duration, result: ForwardAttemptResult,
                nextAttemptAt: Date? = nil, httpStatus: Int? = nil, exitStatus: Int? = nil, signal: Int? = nil,
                error: String? = nil, output: String? = nil) {
        self.jobID = jobID
        self.claim = claim
        self.attempt = attempt
        self.startedAt = startedAt
        self.duration = duration
        self.result = result
        self.nextAttemptAt = nextAttemptAt
        self.httpStatus = httpStatus
        self.exitStatus = exitStatus
        self.signal = signal
        self.error = error
        self.output = output
    }
}

/// One target's counts, for `authyctl forward status`.
public struct ForwardTargetSummary: Sendable, Equatable {
    public var name: String
    public var kind: String
    public var paused: Bool
    public var removed: Bool
    public var counts: [ForwardJobState: Int]
    public var oldestUndeliveredAt: Date?
    public var lastDeliveredAt: Date?
    public var lastError: String?
}

/// One job as `authyctl forward events` lists it.
public struct ForwardJobSummary: Sendable, Equatable {
    public var eventID: Int64
    public var type: String?
    public var receivedAtMicros: Int64
    public var state: ForwardJobState
    public var attempts: Int
    public var scheduledAt: Date?
    public var finishedAt: Date?
    public var lastError: String?
}

/// One attempt as `authyctl events show` lists it.
public struct ForwardAttemptRecord: Sendable, Equatable {
    public var attempt: Int
    public var startedAt: Date
    public var durationMicros: Int64
    public var result: ForwardAttemptResult
    public var httpStatus: Int?
    public var exitStatus: Int?
    public var signal: Int?
    public var error: String?
    public var output: String?
}

/// Where one event stands with one target, and every attempt so far.
public struct ForwardEventStatus: Sendable, Equatable {
    public var target: String
    public var state: ForwardJobState
    public var scheduledAt: Date?
    public var attempts: [ForwardAttemptRecord]
}

/// The outcome of `forward drop`.
public enum ForwardDropResult: Sendable, Equatable {
    case notFound
    /// The target is still in the configuration: dropping it would lose what it is owed.
    case stillConfigured
    /// Dropped, with this many jobs forgotten.
    case dropped(jobs: Int)
}

/// The forwarding outbox, behind the store's boundary: filled by ``EventStore/record(_:forwardingTo:)`` in the
/// transaction that stores each event, drained by claims. Every method is one transaction.
public protocol ForwardOutbox: Sendable {
    /// Records the configured targets: new ones are added, ones no longer declared are marked removed (they keep
    /// their jobs), returning ones are no longer removed.
    func declareForwardTargets(_ targets: [ForwardTargetDeclaration], at time: Date) async throws(StoreError)

    /// After a restart of a single receiver nothing can be in flight: every in-flight job becomes due at once, the
    /// interrupted attempt kept as `interrupted` and not counted against the schedule. Returns how many.
    func recoverInterruptedForwardJobs(at time: Date) async throws(StoreError) -> Int

    /// Claims up to `limit` due jobs of `target` (oldest due first; with `fifo`, only the target's oldest unfinished
    /// job, and only when nothing of the target is in flight), marking them in flight until `leaseUntil`. Jobs whose
    /// lease ran out count as due. A paused or removed target yields nothing.
    func claimForwardJobs(target: String, limit: Int, fifo: Bool, now: Date, leaseUntil: Date, claimant: String) async throws(StoreError) -> [ForwardJob]

    /// Records attempts and moves their jobs on, all in one transaction (the forwarder's group commit: one fsync for
    /// every attempt that finished meanwhile). For each report, false (and nothing changed for it) when its claim is
    /// no longer the job's.
    func finishForwardAttempts(_ reports: [ForwardAttemptReport]) async throws(StoreError) -> [Bool]

    /// Gives back jobs that were claimed but never attempted (a stopping worker's prefetched jobs): each is due again
    /// as it was, its attempt and round counts as before the claim. Jobs whose claim is no longer theirs are skipped.
    /// Returns how many were given back.
    @discardableResult
    func releaseForwardJobs(_ jobs: [ForwardJob]) async throws(StoreError) -> Int

    /// When the next job of `target` becomes due (nil: none is waiting); with `fifo`, when its oldest unfinished
    /// job does.
    func nextForwardDue(target: String, fifo: Bool) async throws(StoreError) -> Date?

    /// Every target the store knows, with counts.
    func forwardTargets() async throws(StoreError) -> [ForwardTargetSummary]

    /// Jobs of `target`, newest event first, optionally of one state.
    func forwardJobs(target: String, state: ForwardJobState?, limit: Int) async throws(StoreError) -> [ForwardJobSummary]

    /// Pauses or resumes a target; false when there is no such target.
    func setForwardPaused(target: String, paused: Bool) async throws(StoreError) -> Bool

    /// Dead and waiting jobs of `target` (only those of `eventIDs` when given) become due now with a fresh schedule.
    /// Returns how many, or nil when there is no such target.
    func retryForwardJobs(target: String, eventIDs: [Int64], at time: Date) async throws(StoreError) -> Int?

    /// Queues the events matching `query` for `target` again, delivered or not (nothing in flight is touched);
    /// with `dryRun` only counts. Returns how many, or nil when there is no such target.
    func replayForward(target: String, matching query: EventQuery, dryRun: Bool, at time: Date) async throws(StoreError) -> Int?

    /// Forgets a removed target and everything it was owed.
    func dropForwardTarget(_ name: String) async throws(StoreError) -> ForwardDropResult

    /// Where `eventID` stands with each target.
    func forwardStatus(eventID: Int64) async throws(StoreError) -> [ForwardEventStatus]
}

import AsyncHTTPClient
import AuthyWebhooksConfig
import ControlProtocol
import EventStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import SystemdSupport

/// Hands every stored event to the user's `[Forward]` targets: one worker per target, each claiming due jobs from the
/// store's outbox (so the backlog lives on disk, not in memory), making the attempts and recording their outcomes.
///
/// On graceful shutdown no new attempt starts; attempts in flight get ``shutdownGrace`` and are then cancelled and
/// recorded as interrupted (due again at once after the restart).
final class Forwarder: Service, Sendable {
    static let shutdownGrace: Duration = .seconds(10)

    private struct State {
        var workers: [String: ForwardWorker] = [:]
        var routes: [ForwardRoute] = []
        var starts: AsyncStream<ForwardWorker>.Continuation?
        var stopping = false
    }

    let store: any EventStore
    let logger: Logger
    let client = ForwardHTTPClient()
    /// Who claims: recorded with every claim (a shared store tells receivers apart by it).
    let claimant: String
    private let state = Mutex(State())
    private let starts: AsyncStream<ForwardWorker>

    init(store: any EventStore, logger: Logger) {
        self.store = store
        self.logger = logger
        claimant = "\(ProcessInfo.processInfo.hostName):\(getpid())"
        var continuation: AsyncStream<ForwardWorker>.Continuation!
        starts = AsyncStream { continuation = $0 }
        state.withLock { $0.starts = continuation }
    }

    /// Which events the writer must owe to which target, in the transaction that stores them.
    var routes: [ForwardRoute] { state.withLock { $0.routes } }

    /// Start-up: attempts a previous run left in flight are due again; the configured targets are recorded.
    func start(_ targets: [ForwardSettings]) async throws {
        let recovered = try await store.recoverInterruptedForwardJobs(at: Date())
        if recovered > 0 {
            logger.notice("forwarding: \(recovered) attempt(s) interrupted by the last stop will be made again")
        }
        try await apply(targets)
    }

    /// Applies the `[Forward]` sections (start, and each reload): new targets start, removed ones stop after their
    /// attempts in flight (keeping what they are owed), changed ones take the new settings for the next attempt.
    func apply(_ targets: [ForwardSettings]) async throws {
        try await store.declareForwardTargets(targets.map { ForwardTargetDeclaration(name: $0.name, kind: $0.destination.kind) }, at: Date())
        let (started, stopped) = state.withLock { state -> ([ForwardWorker], [ForwardWorker]) in
            var started: [ForwardWorker] = []
            var stopped: [ForwardWorker] = []
            let names = Set(targets.map(\.name))
            for (name, worker) in state.workers where !names.contains(name) {
                stopped.append(worker)
                state.workers[name] = nil
            }
            for settings in targets {
                if let worker = state.workers[settings.name] {
                    worker.update(settings, target: makeTarget(settings))
                } else if !state.stopping {
                    let worker = ForwardWorker(settings: settings, target: makeTarget(settings), forwarder: self)
                    state.workers[settings.name] = worker
                    started.append(worker)
                }
            }
            state.routes = targets.map { ForwardRoute(target: $0.name, types: Set($0.events), webhooks: Set($0.webhooks)) }
            return (started, stopped)
        }
        for worker in stopped { worker.stop() }
        let continuation = state.withLock { $0.starts }
        for worker in started { continuation?.yield(worker) }
    }

    /// Events were committed: every worker looks for work.
    func eventsCommitted() {
        for worker in state.withLock({ Array($0.workers.values) }) { worker.wake() }
    }

    /// A control action changed a target's jobs (retry, replay, resume).
    func wake(target: String) {
        state.withLock { $0.workers[target] }?.wake()
    }

    /// `forward pause`: the target's worker gives back what it claimed ahead, so that no new attempt starts.
    func paused(target: String) {
        state.withLock { $0.workers[target] }?.giveBackClaimedAhead()
    }

    private func makeTarget(_ settings: ForwardSettings) -> any ForwardTarget {
        switch settings.destination {
        case .url(let url):
            URLForwardTarget(url: url, signature: settings.secret.flatMap(StandardWebhookSignature.init(secret:)), client: client,
                             userAgent: "authy-webhooksd/\(ControlProtocolVersion.string)")
        case .exec(let arguments):
            ExecForwardTarget(arguments: arguments)
        }
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for await worker in starts {
                    group.addTask { await worker.run() }
                }
            }
        } onGracefulShutdown: {
            let (workers, continuation) = self.state.withLock { state in
                state.stopping = true
                defer { state.starts = nil }
                return (Array(state.workers.values), state.starts)
            }
            continuation?.finish()
            for worker in workers { worker.stop() }
        }
        await client.shutdown()
    }
}

/// The HTTP client of the URL targets, made at the first attempt: a daemon state that is built but never run (a
/// failed start, a test) then owns no client, which AsyncHTTPClient requires to be shut down before it goes.
final class ForwardHTTPClient: Sendable {
    private let made = Mutex<HTTPClient?>(nil)

    var client: HTTPClient {
        made.withLock { made in
            if let made { return made }
            var configuration = HTTPClient.Configuration()
            // Redirects are answers like any other: a 3xx is retried, never followed to a place the user did not name.
            configuration.redirectConfiguration = .disallow
            configuration.timeout = .init(connect: .seconds(10))
            // A refused connection fails the attempt at once, to be retried by RetrySchedule=. The client's own
            // retries would hold each attempt to a down target for the whole connect timeout (measured: 10 s per
            // refused attempt, so 4 attempts per 10 s against a backlog), and report it as a timeout.
            configuration.connectionPool.retryConnectionEstablishment = false
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            made = client
            return client
        }
    }

    func shutdown() async {
        let client = made.withLock { made in
            defer { made = nil }
            return made
        }
        try? await client?.shutdown()
    }
}

/// One target's loop: claim due jobs ahead (many per transaction), keep `Concurrency=` attempts running from them,
/// and record the attempts that finished meanwhile in one transaction per turn: the group commit that ingest has,
/// so that a fast handler costs a fraction of an fsync per event rather than two.
final class ForwardWorker: Sendable {
    /// Jobs claimed ahead, per slot of `Concurrency=` (none with `Ordering=fifo`, which claims one at a time).
    static let claimAheadPerSlot = 8

    /// An attempt that finished and waits for the next turn's transaction.
    struct Finished: Sendable {
        var report: ForwardAttemptReport
        var event: StoredEvent
    }

    private struct State {
        var settings: ForwardSettings
        var target: any ForwardTarget
        var inFlight = 0
        var stopping = false
        var finished: [Finished] = []
        var giveBack = false
    }

    private let state: Mutex<State>
    private let signal = WriteSignal(pending: true)
    private unowned let forwarder: Forwarder
    let name: String

    init(settings: ForwardSettings, target: any ForwardTarget, forwarder: Forwarder) {
        state = Mutex(State(settings: settings, target: target))
        name = settings.name
        self.forwarder = forwarder
    }

    func update(_ settings: ForwardSettings, target: any ForwardTarget) {
        state.withLock {
            $0.settings = settings
            $0.target = target
            // A changed Concurrency= or Ordering= claims afresh.
            $0.giveBack = true
        }
        wake()
    }

    func wake() { signal.noteWrite() }

    func stop() {
        state.withLock { $0.stopping = true }
        wake()
    }

    func giveBackClaimedAhead() {
        state.withLock { $0.giveBack = true }
        wake()
    }

    func run() async {
        // Claimed and not yet attempted; only this loop touches it.
        var ahead: [ForwardJob] = []
        // Discarding: a plain task group keeps every finished child until it is awaited, which this loop never
        // does; against a backlog that grew the daemon by about 9 KB per attempt (110 MB after 10,000 attempts).
        await withDiscardingTaskGroup { group in
            while true {
                let (settings, stopping, giveBack) = state.withLock { state in
                    defer { state.giveBack = false }
                    return (state.settings, state.stopping, state.giveBack)
                }
                if stopping { break }
                if giveBack {
                    await release(ahead)
                    ahead.removeAll()
                }
                start(&ahead, settings: settings, in: &group)
                let recorded = await recordFinished()
                let claimed = await claimAhead(&ahead, settings: settings)
                start(&ahead, settings: settings, in: &group)
                if recorded > 0 || claimed > 0 { continue }
                if state.withLock({ $0.inFlight }) > 0 || !ahead.isEmpty {
                    await waitForSignal(atMost: .seconds(1))
                } else {
                    await sleepUntilWork(settings: settings)
                }
            }
            // Stopping: nothing new starts; attempts in flight get the grace, then are cancelled (and recorded as
            // interrupted, below).
            let deadline = ContinuousClock.now + Forwarder.shutdownGrace
            while state.withLock({ $0.inFlight }) > 0, ContinuousClock.now < deadline {
                await waitForSignal(atMost: min(.milliseconds(200), deadline - ContinuousClock.now))
                await recordFinished()
            }
            group.cancelAll()
        }
        await recordFinished()
        await release(ahead)
    }

    /// Starts attempts from `ahead` while `Concurrency=` allows.
    private func start(_ ahead: inout [ForwardJob], settings: ForwardSettings, in group: inout DiscardingTaskGroup) {
        while !ahead.isEmpty {
            let target: (any ForwardTarget)? = state.withLock { state in
                guard state.inFlight < state.settings.effectiveConcurrency else { return nil }
                state.inFlight += 1
                return state.target
            }
            guard let target else { return }
            let job = ahead.removeFirst()
            group.addTask {
                let finished = await self.attempt(job, settings: settings, target: target)
                self.state.withLock {
                    $0.finished.append(finished)
                    $0.inFlight -= 1
                }
                self.wake()
            }
        }
    }

    /// Claims due jobs when fewer than one per slot are waiting: up to `claimAheadPerSlot` per slot in one
    /// transaction. Returns how many.
    private func claimAhead(_ ahead: inout [ForwardJob], settings: ForwardSettings) async -> Int {
        let slots = settings.effectiveConcurrency
        let inFlight = state.withLock { $0.inFlight }
        let capacity = settings.ordering == .fifo ? 1 : slots * Self.claimAheadPerSlot
        guard ahead.count < slots, capacity - ahead.count - inFlight > 0 else { return 0 }
        let now = Date()
        // The lease outlives every attempt claimed ahead (each within Timeout=) and the TERM-to-KILL grace: only a
        // worker that is gone (a receiver that died) lets it run out.
        let turns = Double(capacity / slots + 1)
        let lease = now.addingTimeInterval(settings.timeout.timeInterval * turns + 30)
        do {
            let claimed = try await forwarder.store.claimForwardJobs(
                target: name, limit: capacity - ahead.count - inFlight, fifo: settings.ordering == .fifo, now: now,
                leaseUntil: lease, claimant: forwarder.claimant)
            ahead += claimed
            return claimed.count
        } catch {
            forwarder.logger.error("forwarding to \(name): cannot claim jobs: \(error)", metadata: ["forward_target": .string(name)])
            return 0
        }
    }

    /// Records every attempt that finished since the last turn, in one transaction, then logs each outcome.
    @discardableResult
    private func recordFinished() async -> Int {
        let finished = state.withLock { state in
            defer { state.finished.removeAll() }
            return state.finished
        }
        guard !finished.isEmpty else { return 0 }
        do {
            let recorded = try await forwarder.store.finishForwardAttempts(finished.map(\.report))
            for (item, kept) in zip(finished, recorded) {
                if kept {
                    log(item.report, event: item.event)
                } else {
                    forwarder.logger.warning("forwarding to \(name): event \(item.event.id) was taken over by another worker; its outcome is dropped")
                }
            }
        } catch {
            // The jobs stay in flight: their lease runs out, or the next start makes them due again (at least once).
            forwarder.logger.error("forwarding to \(name): cannot record \(finished.count) attempt(s): \(error)")
        }
        return finished.count
    }

    /// Gives claimed-ahead jobs back to the store, as they were before the claim.
    private func release(_ jobs: [ForwardJob]) async {
        guard !jobs.isEmpty else { return }
        do {
            try await forwarder.store.releaseForwardJobs(jobs)
        } catch {
            forwarder.logger.error("forwarding to \(name): cannot give back \(jobs.count) claimed job(s): \(error)")
        }
    }

    /// Sleeps until the next job is due (at most a minute, so a job queued by another receiver is not missed for
    /// long), or until woken.
    private func sleepUntilWork(settings: ForwardSettings) async {
        var wait: Duration = .seconds(60)
        if let due = try? await forwarder.store.nextForwardDue(target: name, fifo: settings.ordering == .fifo) {
            let seconds = due.timeIntervalSinceNow
            wait = seconds <= 0 ? .milliseconds(50) : min(wait, .milliseconds(Int64(seconds * 1000) + 1))
        }
        await waitForSignal(atMost: wait)
    }

    private func waitForSignal(atMost wait: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.signal.waitForWrite() }
            group.addTask { try? await Task.sleep(for: wait) }
            await group.next()
            group.cancelAll()
        }
    }

    private func attempt(_ job: ForwardJob, settings: ForwardSettings, target: any ForwardTarget) async -> Finished {
        let event = job.event
        let body = EventRecord.jsonLine(
            id: event.id, type: event.type, receivedAtMicros: event.receivedAtMicros, occurredAt: event.occurredAt,
            webhook: event.webhook, deliveryID: event.deliveryID, requestID: event.requestID, payloadJSON: event.payload)
        let request = ForwardRequest(
            body: Array(body.utf8) + (settings.destination.kind == "exec" ? [0x0A] : []), webhookID: ForwardWorker.webhookID(eventID: event.id), eventID: event.id,
            eventType: event.type ?? EventQuery.unknownType, webhook: event.webhook, target: name, attempt: job.attempt,
            timeout: settings.timeout)
        let started = Date()
        let clock = ContinuousClock.now
        let response = await target.attempt(request)
        let duration = ContinuousClock.now - clock
        let cancelled = Task.isCancelled
        var (result, next) = RetryDecision.result(of: response, round: job.round, schedule: settings.retrySchedule, now: Date())
        if cancelled, response.verdict != .delivered {
            // The daemon is stopping: this attempt does not count, and it is made again right after the restart.
            (result, next) = (.interrupted, Date())
        }
        let report = ForwardAttemptReport(
            jobID: job.id, claim: job.claim, attempt: job.attempt, startedAt: started, duration: duration, result: result,
            nextAttemptAt: next, httpStatus: response.httpStatus, exitStatus: response.exitStatus, signal: response.signal,
            error: response.error, output: response.output)
        return Finished(report: report, event: event)
    }

    private func log(_ report: ForwardAttemptReport, event: StoredEvent) {
        var metadata: Logger.Metadata = [
            "forward_target": .string(name),
            "event_id": "\(event.id)",
            "forward_attempt": "\(report.attempt)",
            "forward_result": .string(report.result == .interrupted ? "retry" : report.result.rawValue),
        ]
        if let status = report.httpStatus { metadata["http_status"] = "\(status)" }
        if let status = report.exitStatus { metadata["exit_status"] = "\(status)" }
        let why = report.error.map { ": \($0)" } ?? ""
        switch report.result {
        case .delivered:
            metadata["message_id"] = .string(JournalMessageID.forwardDelivered)
            forwarder.logger.info("event \(event.id) delivered to \(name) (attempt \(report.attempt))", metadata: metadata)
        case .retry, .interrupted:
            metadata["message_id"] = .string(JournalMessageID.forwardRetry)
            let when = report.nextAttemptAt.map { Timestamp.rfc3339(micros: Int64($0.timeIntervalSince1970 * 1_000_000)) } ?? "soon"
            forwarder.logger.warning("event \(event.id) not delivered to \(name) (attempt \(report.attempt))\(why); next attempt at \(when)", metadata: metadata)
        case .dead:
            metadata["message_id"] = .string(JournalMessageID.forwardDead)
            forwarder.logger.error("event \(event.id) is dead for \(name) after attempt \(report.attempt)\(why); `authyctl forward retry \(name) --event \(event.id)` queues it again", metadata: metadata)
        }
    }

    /// The Standard Webhooks message id of an event: the handler's idempotency key, the same on every attempt.
    static func webhookID(eventID: Int64) -> String { "evt_\(eventID)" }
}

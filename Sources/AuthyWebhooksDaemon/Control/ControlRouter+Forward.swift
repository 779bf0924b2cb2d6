import ControlProtocol
import EventStore
import Foundation
import Hummingbird

/// `/v1/forward/…`: what `authyctl forward` reads and does. Reads need read access; every POST and DELETE needs
/// admin rights (``ControlAccessMiddleware``).
extension ControlRouter {
    func addForwardRoutes(to router: Router<ControlRequestContext>) {
        router.get(RouterPath(ControlAPI.forwardPath)) { _, _ in
            JSONResponse.encoded(ForwardStatusResponse(targets: try await forwardStatuses()))
        }
        router.get(RouterPath(ControlAPI.forwardPath + "/:name")) { _, context in
            let name = try targetName(context)
            guard let status = try await forwardStatuses().first(where: { $0.name == name }) else { throw unknownTarget(name) }
            return JSONResponse.encoded(ForwardStatusResponse(targets: [status]))
        }
        router.get(RouterPath(ControlAPI.forwardPath + "/:name/events")) { request, context in
            let name = try targetName(context)
            guard try await forwardStatuses().contains(where: { $0.name == name }) else { throw unknownTarget(name) }
            var state: ForwardJobState?
            if let text = request.uri.queryParameters.get("state") {
                guard let parsed = ForwardJobState(rawValue: text) else {
                    throw ControlFailure(.badRequest, .badRequest, "state is one of " + ForwardJobState.allCases.map(\.rawValue).joined(separator: ", "))
                }
                state = parsed
            }
            let limit = request.uri.queryParameters.get("limit").flatMap(Int.init) ?? 100
            guard (1...100_000).contains(limit) else { throw ControlFailure(.badRequest, .badRequest, "limit is from 1 to 100000") }
            let jobs = try await storeCall { try await jobMessages(name, state, limit) }
            return JSONResponse.encoded(ForwardEventsResponse(target: name, events: jobs))
        }
        for (action, paused) in [("pause", true), ("resume", false)] {
            router.post(RouterPath(ControlAPI.forwardPath + "/:name/\(action)")) { _, context in
                let name = try targetName(context)
                guard try await storeCall({ try await state.store.setForwardPaused(target: name, paused: paused) }) else { throw unknownTarget(name) }
                state.logger.notice("forwarding to \(name) \(paused ? "paused" : "resumed") through the control socket")
                if paused { state.forwarder.paused(target: name) } else { state.forwarder.wake(target: name) }
                return JSONResponse.encoded(ForwardActionResponse(target: name, action: action, count: 0))
            }
        }
        router.post(RouterPath(ControlAPI.forwardPath + "/:name/retry")) { request, context in
            let name = try targetName(context)
            let body = try await decode(ForwardRetryRequest.self, from: request)
            guard let count = try await storeCall({ try await state.store.retryForwardJobs(target: name, eventIDs: body.eventIDs, at: Date()) }) else {
                throw unknownTarget(name)
            }
            state.forwarder.wake(target: name)
            return JSONResponse.encoded(ForwardActionResponse(target: name, action: "retry", count: count))
        }
        router.post(RouterPath(ControlAPI.forwardPath + "/:name/replay")) { request, context in
            let name = try targetName(context)
            let body = try await decode(ForwardReplayRequest.self, from: request)
            let query = EventQuery(since: body.since, until: body.until, types: body.types, webhooks: body.webhook.map { [$0] } ?? [])
            guard let count = try await storeCall({ try await state.store.replayForward(target: name, matching: query, dryRun: body.dryRun, at: Date()) }) else {
                throw unknownTarget(name)
            }
            if !body.dryRun {
                state.logger.notice("forwarding to \(name): \(count) event(s) queued again by a replay")
                state.forwarder.wake(target: name)
            }
            return JSONResponse.encoded(ForwardActionResponse(target: name, action: "replay", count: count, dryRun: body.dryRun))
        }
        router.delete(RouterPath(ControlAPI.forwardPath + "/:name")) { _, context in
            let name = try targetName(context)
            switch try await storeCall({ try await state.store.dropForwardTarget(name) }) {
            case .notFound: throw unknownTarget(name)
            case .stillConfigured:
                throw ControlFailure(.conflict, .conflict, "\(name) is still a [Forward] target of the configuration; remove its section and reload first")
            case .dropped(let jobs):
                state.logger.notice("forward target \(name) dropped with \(jobs) event(s) it was owed")
                return JSONResponse.encoded(ForwardActionResponse(target: name, action: "drop", count: jobs))
            }
        }
    }

    func forwardStatuses() async throws -> [ForwardTargetStatus] {
        try await storeCall { try await state.store.forwardTargets() }.map { summary in
            ForwardTargetStatus(
                name: summary.name, kind: summary.kind,
                state: summary.removed ? "removed" : summary.paused ? "paused" : "active",
                pending: summary.counts[.pending] ?? 0, retrying: summary.counts[.retrying] ?? 0,
                inFlight: summary.counts[.inFlight] ?? 0, dead: summary.counts[.dead] ?? 0,
                delivered: summary.counts[.delivered] ?? 0, oldestUndeliveredAt: summary.oldestUndeliveredAt,
                lastDeliveredAt: summary.lastDeliveredAt, lastError: summary.lastError)
        }
    }

    func forwardStates(eventID: Int64) async throws -> [ForwardEventState] {
        try await storeCall { try await state.store.forwardStatus(eventID: eventID) }.map { status in
            ForwardEventState(
                target: status.target, state: status.state.rawValue, nextAttemptAt: status.scheduledAt,
                attempts: status.attempts.map { attempt in
                    ForwardAttemptMessage(
                        attempt: attempt.attempt, startedAt: attempt.startedAt, durationMs: Double(attempt.durationMicros) / 1000,
                        result: attempt.result.rawValue, httpStatus: attempt.httpStatus, exitStatus: attempt.exitStatus,
                        signal: attempt.signal, error: attempt.error, output: attempt.output)
                })
        }
    }

    private func jobMessages(_ name: String, _ jobState: ForwardJobState?, _ limit: Int) async throws(StoreError) -> [ForwardJobMessage] {
        try await state.store.forwardJobs(target: name, state: jobState, limit: limit).map { job in
            ForwardJobMessage(
                eventID: job.eventID, type: job.type ?? EventQuery.unknownType,
                receivedAt: Date(timeIntervalSince1970: Double(job.receivedAtMicros) / 1_000_000), state: job.state.rawValue,
                attempts: job.attempts, nextAttemptAt: job.scheduledAt, finishedAt: job.finishedAt, lastError: job.lastError)
        }
    }

    private func targetName(_ context: ControlRequestContext) throws -> String {
        let raw = try context.parameters.require("name")
        return raw.removingPercentEncoding ?? raw
    }

    private func unknownTarget(_ name: String) -> ControlFailure {
        ControlFailure(.notFound, .unknownTarget, "no forward target named \(JSONText.quoted(name)); `authyctl forward status` lists them")
    }

    /// A store failure becomes 503 store_unavailable, like every other route's.
    private func storeCall<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw ControlFailure(.serviceUnavailable, .storeUnavailable, error.message)
        }
    }
}

import EventStore
import Foundation
import Testing

/// The forwarding outbox on a real SQLite store: filled in the transaction that stores events, drained by claims.
@Suite("Forward outbox")
struct ForwardOutboxTests {
    func store() throws -> SQLiteEventStore { try SQLiteEventStore(inMemoryWith: .init()) }

    @Test func matchingTargetsAreOwedEachEventInTheStoringTransaction() async throws {
        let store = try store()
        try await store.declareForwardTargets([.init(name: "all", kind: "url"), .init(name: "users", kind: "exec")], at: Date())
        let routes = [ForwardRoute(target: "all"), ForwardRoute(target: "users", types: ["user_added"])]
        _ = try await store.record([delivery(token: "a", types: ["user_added", "token_verified", nil])], forwardingTo: routes)
        _ = try await store.record([delivery(token: "a", types: ["user_added"])], forwardingTo: routes)  // a duplicate owes nothing
        let summaries = try await store.forwardTargets()
        #expect(summaries.first { $0.name == "all" }?.counts[.pending] == 3)
        #expect(summaries.first { $0.name == "users" }?.counts[.pending] == 1)
    }

    @Test func aClaimLeasesDueJobsAndOnlyItsClaimFinishesThem() async throws {
        let store = try store()
        try await store.declareForwardTargets([.init(name: "t", kind: "url")], at: Date())
        _ = try await store.record([delivery(token: "a", types: ["user_added", "user_removed"])], forwardingTo: [ForwardRoute(target: "t")])
        let now = Date()
        let jobs = try await store.claimForwardJobs(target: "t", limit: 10, fifo: false, now: now, leaseUntil: now.addingTimeInterval(60), claimant: "me")
        #expect(jobs.count == 2)
        #expect(jobs.allSatisfy { $0.attempt == 1 && $0.round == 1 })
        #expect(try await store.claimForwardJobs(target: "t", limit: 10, fifo: false, now: now, leaseUntil: now, claimant: "other").isEmpty)
        var stale = ForwardAttemptReport(jobID: jobs[0].id, claim: "someone-else", attempt: 1, startedAt: now, duration: .milliseconds(5), result: .delivered)
        #expect(try await store.finishForwardAttempts([stale]) == [false])
        stale.claim = jobs[0].claim
        #expect(try await store.finishForwardAttempts([stale]) == [true])
        let retry = ForwardAttemptReport(jobID: jobs[1].id, claim: jobs[1].claim, attempt: 1, startedAt: now, duration: .milliseconds(5),
                                         result: .retry, nextAttemptAt: now.addingTimeInterval(3600), httpStatus: 500, error: "the handler answered HTTP 500")
        #expect(try await store.finishForwardAttempts([retry]) == [true])
        let summary = try #require(try await store.forwardTargets().first)
        #expect(summary.counts[.delivered] == 1 && summary.counts[.retrying] == 1)
        #expect(summary.lastError == "the handler answered HTTP 500")
        #expect(try await store.nextForwardDue(target: "t", fifo: false).map { $0 > now.addingTimeInterval(3500) } == true)
        #expect(try await store.retryForwardJobs(target: "t", eventIDs: [], at: now) == 1)
        #expect(try await store.retryForwardJobs(target: "nobody", eventIDs: [], at: now) == nil)
    }

    @Test func oneTransactionRecordsManyAttemptsAndSkipsTheOnesWhoseClaimIsGone() async throws {
        let store = try store()
        try await store.declareForwardTargets([.init(name: "t", kind: "url")], at: Date())
        _ = try await store.record([delivery(token: "a", types: ["user_added", "user_removed", "token_verified"])], forwardingTo: [ForwardRoute(target: "t")])
        let now = Date()
        let jobs = try await store.claimForwardJobs(target: "t", limit: 10, fifo: false, now: now, leaseUntil: now.addingTimeInterval(60), claimant: "me")
        #expect(jobs.count == 3)
        func report(_ job: ForwardJob, _ result: ForwardAttemptResult, claim: String? = nil) -> ForwardAttemptReport {
            ForwardAttemptReport(jobID: job.id, claim: claim ?? job.claim, attempt: job.attempt, startedAt: now, duration: .milliseconds(2),
                                 result: result, nextAttemptAt: result == .retry ? now.addingTimeInterval(300) : nil,
                                 error: result == .delivered ? nil : "the handler answered HTTP 500")
        }
        let recorded = try await store.finishForwardAttempts([
            report(jobs[0], .delivered), report(jobs[1], .retry), report(jobs[2], .delivered, claim: "a stale claim"),
        ])
        #expect(recorded == [true, true, false])
        let summary = try #require(try await store.forwardTargets().first)
        #expect(summary.counts[.delivered] == 1 && summary.counts[.retrying] == 1 && summary.counts[.inFlight] == 1)
        #expect(summary.lastError == "the handler answered HTTP 500")
        #expect(summary.lastDeliveredAt != nil)
        #expect(try await store.finishForwardAttempts([]) == [])
    }

    @Test func jobsClaimedAheadAndGivenBackAreAsBeforeTheClaim() async throws {
        let store = try store()
        try await store.declareForwardTargets([.init(name: "t", kind: "url")], at: Date())
        _ = try await store.record([delivery(token: "a", types: ["user_added", "user_removed"])], forwardingTo: [ForwardRoute(target: "t")])
        let now = Date()
        let first = try await store.claimForwardJobs(target: "t", limit: 1, fifo: false, now: now, leaseUntil: now.addingTimeInterval(60), claimant: "me")
        let retry = ForwardAttemptReport(jobID: first[0].id, claim: first[0].claim, attempt: 1, startedAt: now, duration: .milliseconds(1),
                                         result: .retry, nextAttemptAt: now, error: "refused")
        #expect(try await store.finishForwardAttempts([retry]) == [true])
        let ahead = try await store.claimForwardJobs(target: "t", limit: 10, fifo: false, now: now.addingTimeInterval(1), leaseUntil: now.addingTimeInterval(60), claimant: "me")
        #expect(ahead.count == 2)
        var stale = ahead[0]
        stale.claim = "a stale claim"
        #expect(try await store.releaseForwardJobs([stale] + ahead) == 2)
        let summary = try #require(try await store.forwardTargets().first)
        #expect(summary.counts[.pending] == 1 && summary.counts[.retrying] == 1 && summary.counts[.inFlight] == nil)
        let again = try await store.claimForwardJobs(target: "t", limit: 10, fifo: false, now: now.addingTimeInterval(2), leaseUntil: now.addingTimeInterval(60), claimant: "me")
        #expect(Set(again.map { "\($0.event.type ?? "") \($0.attempt) \($0.round)" }) == ["user_added 2 2", "user_removed 1 1"],
                "the given-back jobs keep the attempt numbers they had: no attempt was made")
        #expect(try await store.forwardStatus(eventID: first[0].event.id).first?.attempts.count == 1)
    }

    @Test func afterACrashInFlightJobsAreDueAgainWithoutUsingTheSchedule() async throws {
        let store = try store()
        try await store.declareForwardTargets([.init(name: "t", kind: "url")], at: Date())
        _ = try await store.record([delivery(token: "a")], forwardingTo: [ForwardRoute(target: "t")])
        let now = Date()
        let first = try await store.claimForwardJobs(target: "t", limit: 1, fifo: true, now: now, leaseUntil: now.addingTimeInterval(60), claimant: "me")
        #expect(try await store.recoverInterruptedForwardJobs(at: now) == 1)
        let again = try await store.claimForwardJobs(target: "t", limit: 1, fifo: true, now: now, leaseUntil: now.addingTimeInterval(60), claimant: "me")
        #expect(again.first?.event.id == first.first?.event.id)
        #expect(again.first?.attempt == 2)
        #expect(again.first?.round == 1, "the interrupted attempt does not count against RetrySchedule=")
        let states = try await store.forwardStatus(eventID: try #require(first.first?.event.id))
        #expect(states.first?.attempts.map(\.result) == [.interrupted])
    }

    @Test func pausedAndRemovedTargetsYieldNothingAndDropNeedsRemoval() async throws {
        let store = try store()
        try await store.declareForwardTargets([.init(name: "t", kind: "url")], at: Date())
        _ = try await store.record([delivery(token: "a")], forwardingTo: [ForwardRoute(target: "t")])
        #expect(try await store.setForwardPaused(target: "t", paused: true))
        let now = Date()
        #expect(try await store.claimForwardJobs(target: "t", limit: 1, fifo: false, now: now, leaseUntil: now, claimant: "me").isEmpty)
        #expect(try await store.dropForwardTarget("t") == .stillConfigured)
        try await store.declareForwardTargets([], at: Date())
        #expect(try await store.forwardTargets().first?.removed == true)
        #expect(try await store.dropForwardTarget("t") == .dropped(jobs: 1))
        #expect(try await store.dropForwardTarget("t") == .notFound)
    }

    @Test func pruningAnEventForgetsWhatWasOwedForIt() async throws {
        let store = try store()
        try await store.declareForwardTargets([.init(name: "t", kind: "url")], at: Date())
        _ = try await store.record([delivery(token: "a")], forwardingTo: [ForwardRoute(target: "t")])
        _ = try await store.prune(receivedBefore: Date().addingTimeInterval(60), batchSize: 100, dryRun: false)
        #expect(try await store.forwardTargets().first?.counts.isEmpty == true)
        #expect(try await store.replayForward(target: "t", matching: EventQuery(), dryRun: true, at: Date()) == 0)
    }
}

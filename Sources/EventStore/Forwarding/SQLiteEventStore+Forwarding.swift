import Foundation
import GRDB

/// The outbox on SQLite: one writer, so a claim is a plain `UPDATE … RETURNING`; the lease and claim columns are
/// what a shared store needs (`FOR UPDATE SKIP LOCKED`), kept here so that both behave alike.
extension SQLiteEventStore {
    /// States of a job not yet finished; written out in every query so that the partial indexes apply.
    static let openStates = "('pending', 'retrying', 'in_flight')"

    public func declareForwardTargets(_ targets: [ForwardTargetDeclaration], at time: Date) async throws(StoreError) {
        let now = Self.microseconds(time)
        try await write { db in
            try db.execute(sql: "UPDATE forward_target SET removed = 1")
            for target in targets {
                try db.execute(sql: """
                    INSERT INTO forward_target (name, kind, added_at) VALUES (?, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, removed = 0
                    """, arguments: [target.name, target.kind, now])
            }
        }
    }

    public func recoverInterruptedForwardJobs(at time: Date) async throws(StoreError) -> Int {
        let now = Self.microseconds(time)
        return try await write { db in
            try db.execute(sql: """
                INSERT INTO forward_attempt (job_id, attempt, started_at, duration_us, result, error)
                SELECT id, attempts, ?, 0, 'interrupted', 'the daemon stopped during this attempt'
                FROM forward_job WHERE state = 'in_flight'
                """, arguments: [now])
            try db.execute(sql: """
                UPDATE forward_job SET state = 'retrying', scheduled_at = ?, round = max(0, round - 1),
                    lease_until = NULL, claimed_by = NULL, last_error = 'interrupted by a stop of the daemon'
                WHERE state = 'in_flight'
                """, arguments: [now])
            return db.changesCount
        }
    }

    public func claimForwardJobs(target: String, limit: Int, fifo: Bool, now: Date, leaseUntil: Date, claimant: String) async throws(StoreError) -> [ForwardJob] {
        guard limit > 0 else { return [] }
        let nowMicros = Self.microseconds(now)
        let lease = Self.microseconds(leaseUntil)
        let claim = "\(claimant)/\(UUID().uuidString.lowercased())"
        return try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT paused = 0 AND removed = 0 FROM forward_target WHERE name = ?", arguments: [target]) == true else {
                return []
            }
            let due = "((state IN ('pending', 'retrying') AND scheduled_at <= :now) OR (state = 'in_flight' AND lease_until < :now))"
            let candidates: [Int64]
            if fifo {
                // Only the head may go, and only when it is due: later events wait behind a failing one.
                candidates = try Int64.fetchAll(db, sql: """
                    SELECT id FROM (SELECT id, state, scheduled_at, lease_until FROM forward_job
                                    WHERE target = :target AND state IN \(Self.openStates) ORDER BY event_id LIMIT 1)
                    WHERE \(due)
                    """, arguments: ["target": target, "now": nowMicros])
            } else {
                candidates = try Int64.fetchAll(db, sql: """
                    SELECT id FROM forward_job WHERE target = :target AND state IN \(Self.openStates) AND \(due)
                    ORDER BY scheduled_at, event_id LIMIT :limit
                    """, arguments: ["target": target, "now": nowMicros, "limit": limit])
            }
            guard !candidates.isEmpty else { return [] }
            let ids = candidates.map(String.init).joined(separator: ",")
            try db.execute(sql: """
                UPDATE forward_job SET state = 'in_flight', attempts = attempts + 1, round = round + 1,
                    lease_until = ?, claimed_by = ?
                WHERE id IN (\(ids))
                """, arguments: [lease, claim])
            let rows = try Row.fetchAll(db, sql: """
                SELECT j.id, j.attempts, j.round, e.id, e.delivery_id, e.received_at, e.type, e.occurred_at, e.request_id,
                       e.webhook, e.payload
                FROM forward_job j JOIN event e ON e.id = j.event_id WHERE j.id IN (\(ids)) ORDER BY e.id
                """)
            return rows.map { row in
                ForwardJob(
                    id: row[0], target: target, attempt: row[1], round: row[2], claim: claim,
                    event: StoredEvent(
                        id: row[3], deliveryID: row[4], receivedAtMicros: row[5], type: row[6], occurredAt: row[7],
                        requestID: row[8], webhook: row[9], payload: row[10]))
            }
        }
    }

    public func finishForwardAttempts(_ reports: [ForwardAttemptReport]) async throws(StoreError) -> [Bool] {
        guard !reports.isEmpty else { return [] }
        return try await write { db in
            // Cached statements: a batch runs the same few statements once per report.
            let owner = try db.cachedStatement(sql: "SELECT target FROM forward_job WHERE id = ? AND state = 'in_flight' AND claimed_by = ?")
            let attempt = try db.cachedStatement(sql: """
                INSERT INTO forward_attempt (job_id, attempt, started_at, duration_us, result, http_status, exit_status, signal, error, output)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let delivered = try db.cachedStatement(sql: """
                UPDATE forward_job SET state = 'delivered', finished_at = ?, lease_until = NULL, claimed_by = NULL,
                    last_error = NULL WHERE id = ?
                """)
            let dead = try db.cachedStatement(sql: """
                UPDATE forward_job SET state = 'dead', finished_at = ?, lease_until = NULL, claimed_by = NULL,
                    last_error = ? WHERE id = ?
                """)
            let retrying = try db.cachedStatement(sql: """
                UPDATE forward_job SET state = 'retrying', scheduled_at = ?, lease_until = NULL, claimed_by = NULL,
                    last_error = ?, round = round - ? WHERE id = ?
                """)
            // Per target, only the batch's last word goes into forward_target.
            var lastDelivered: [String: Int64] = [:]
            var lastError: [String: String] = [:]
            var recorded: [Bool] = []
            recorded.reserveCapacity(reports.count)
            for report in reports {
                guard let target = try String.fetchOne(owner, arguments: [report.jobID, report.claim]) else {
                    recorded.append(false)
                    continue
                }
                let started = Self.microseconds(report.startedAt)
                let finished = Self.microseconds(report.startedAt.addingTimeInterval(Self.seconds(report.duration)))
                let durationMicros = Int64(Self.seconds(report.duration) * 1_000_000)
                try attempt.execute(arguments: [
                    report.jobID, report.attempt, started, durationMicros, report.result.rawValue, report.httpStatus,
                    report.exitStatus, report.signal, report.error, report.output,
                ])
                switch report.result {
                case .delivered:
                    try delivered.execute(arguments: [finished, report.jobID])
                    lastDelivered[target] = max(lastDelivered[target] ?? finished, finished)
                case .dead:
                    try dead.execute(arguments: [finished, report.error, report.jobID])
                case .retry, .interrupted:
                    let next = report.nextAttemptAt.map(Self.microseconds) ?? finished
                    try retrying.execute(arguments: [next, report.error, report.result == .interrupted ? 1 : 0, report.jobID])
                }
                if report.result != .delivered, let error = report.error { lastError[target] = error }
                recorded.append(true)
            }
            for (target, finished) in lastDelivered {
                try db.execute(sql: "UPDATE forward_target SET last_delivered_at = max(coalesce(last_delivered_at, 0), ?) WHERE name = ?",
                               arguments: [finished, target])
            }
            for (target, error) in lastError {
                try db.execute(sql: "UPDATE forward_target SET last_error = ? WHERE name = ?", arguments: [error, target])
            }
            return recorded
        }
    }

    @discardableResult
    public func releaseForwardJobs(_ jobs: [ForwardJob]) async throws(StoreError) -> Int {
        guard !jobs.isEmpty else { return 0 }
        return try await write { db in
            let release = try db.cachedStatement(sql: """
                UPDATE forward_job SET state = CASE WHEN attempts > 1 THEN 'retrying' ELSE 'pending' END,
                    attempts = attempts - 1, round = round - 1, lease_until = NULL, claimed_by = NULL
                WHERE id = ? AND state = 'in_flight' AND claimed_by = ?
                """)
            var released = 0
            for job in jobs {
                try release.execute(arguments: [job.id, job.claim])
                released += db.changesCount
            }
            return released
        }
    }

    public func nextForwardDue(target: String, fifo: Bool) async throws(StoreError) -> Date? {
        let micros: Int64? = try await read { db in
            let due = "CASE WHEN state = 'in_flight' THEN lease_until ELSE scheduled_at END"
            if fifo {
                return try Int64.fetchOne(db, sql: """
                    SELECT \(due) FROM forward_job WHERE target = ? AND state IN \(Self.openStates) ORDER BY event_id LIMIT 1
                    """, arguments: [target])
            }
            return try Int64.fetchOne(db, sql: """
                SELECT min(\(due)) FROM forward_job WHERE target = ? AND state IN \(Self.openStates)
                """, arguments: [target])
        }
        return micros.map(Self.date)
    }

    public func forwardTargets() async throws(StoreError) -> [ForwardTargetSummary] {
        try await read { db in
            var summaries: [ForwardTargetSummary] = try Row.fetchAll(db, sql: """
                SELECT name, kind, paused, removed, last_delivered_at, last_error FROM forward_target ORDER BY name
                """).map { row in
                    ForwardTargetSummary(
                        name: row[0], kind: row[1], paused: row[2], removed: row[3], counts: [:], oldestUndeliveredAt: nil,
                        lastDeliveredAt: (row[4] as Int64?).map(Self.date), lastError: row[5])
                }
            for index in summaries.indices {
                let name = summaries[index].name
                for row in try Row.fetchAll(db, sql: "SELECT state, count(*) FROM forward_job WHERE target = ? GROUP BY state", arguments: [name]) {
                    if let state = ForwardJobState(rawValue: row[0]) { summaries[index].counts[state] = row[1] }
                }
                summaries[index].oldestUndeliveredAt = try Int64.fetchOne(db, sql: """
                    SELECT min(created_at) FROM forward_job WHERE target = ? AND state IN \(Self.openStates)
                    """, arguments: [name]).map(Self.date)
            }
            return summaries
        }
    }

    public func forwardJobs(target: String, state: ForwardJobState?, limit: Int) async throws(StoreError) -> [ForwardJobSummary] {
        try await read { db in
            var sql = """
                SELECT j.event_id, e.type, e.received_at, j.state, j.attempts, j.scheduled_at, j.finished_at, j.last_error
                FROM forward_job j JOIN event e ON e.id = j.event_id WHERE j.target = ?
                """
            var arguments: StatementArguments = [target]
            if let state {
                sql += " AND j.state = ?"
                _ = arguments.append(contentsOf: [state.rawValue])
            }
            sql += " ORDER BY j.event_id DESC LIMIT \(max(0, limit))"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let state = ForwardJobState(rawValue: row[3]) ?? .pending
                return ForwardJobSummary(
                    eventID: row[0], type: row[1], receivedAtMicros: row[2], state: state, attempts: row[4],
                    scheduledAt: (state == .pending || state == .retrying) ? (row[5] as Int64?).map(Self.date) : nil,
                    finishedAt: (row[6] as Int64?).map(Self.date), lastError: row[7])
            }
        }
    }

    public func setForwardPaused(target: String, paused: Bool) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE forward_target SET paused = ? WHERE name = ?", arguments: [paused, target])
            return db.changesCount > 0
        }
    }

    public func retryForwardJobs(target: String, eventIDs: [Int64], at time: Date) async throws(StoreError) -> Int? {
        let now = Self.microseconds(time)
        return try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM forward_target WHERE name = ?", arguments: [target]) == true else { return nil }
            var sql = """
                UPDATE forward_job SET state = 'pending', round = 0, scheduled_at = ?, finished_at = NULL
                WHERE target = ? AND state IN ('dead', 'retrying', 'pending')
                """
            if !eventIDs.isEmpty { sql += " AND event_id IN (\(eventIDs.map(String.init).joined(separator: ",")))" }
            try db.execute(sql: sql, arguments: [now, target])
            return db.changesCount
        }
    }

    public func replayForward(target: String, matching query: EventQuery, dryRun: Bool, at time: Date) async throws(StoreError) -> Int? {
        let now = Self.microseconds(time)
        let (conditions, arguments) = Self.eventConditions(query)
        let filter = conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
        return try await write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM forward_target WHERE name = ?", arguments: [target]) == true else { return nil }
            if dryRun {
                return try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM event WHERE \(filter) AND NOT EXISTS (
                        SELECT 1 FROM forward_job j WHERE j.target = ? AND j.event_id = event.id AND j.state = 'in_flight')
                    """, arguments: arguments + [target]) ?? 0
            }
            // "WHERE" is required before ON CONFLICT when the rows come from a SELECT (SQLite's parsing ambiguity).
            try db.execute(sql: """
                INSERT INTO forward_job (target, event_id, state, scheduled_at, created_at)
                SELECT ?, id, 'pending', ?, ? FROM event WHERE \(filter)
                ON CONFLICT(target, event_id) DO UPDATE SET state = 'pending', round = 0, scheduled_at = excluded.scheduled_at,
                    finished_at = NULL WHERE forward_job.state != 'in_flight'
                """, arguments: [target, now, now] + arguments)
            return db.changesCount
        }
    }

    public func dropForwardTarget(_ name: String) async throws(StoreError) -> ForwardDropResult {
        try await write { db in
            guard let removed = try Bool.fetchOne(db, sql: "SELECT removed FROM forward_target WHERE name = ?", arguments: [name]) else {
                return .notFound
            }
            guard removed else { return .stillConfigured }
            let jobs = try Int.fetchOne(db, sql: "SELECT count(*) FROM forward_job WHERE target = ?", arguments: [name]) ?? 0
            try db.execute(sql: "DELETE FROM forward_target WHERE name = ?", arguments: [name])
            return .dropped(jobs: jobs)
        }
    }

    public func forwardStatus(eventID: Int64) async throws(StoreError) -> [ForwardEventStatus] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT id, target, state, scheduled_at FROM forward_job WHERE event_id = ? ORDER BY target", arguments: [eventID]).map { job in
                let state = ForwardJobState(rawValue: job[2]) ?? .pending
                let attempts = try Row.fetchAll(db, sql: """
                    SELECT attempt, started_at, duration_us, result, http_status, exit_status, signal, error, output
                    FROM forward_attempt WHERE job_id = ? ORDER BY id
                    """, arguments: [job[0] as Int64]).map { row in
                        ForwardAttemptRecord(
                            attempt: row[0], startedAt: Self.date(row[1]), durationMicros: row[2],
                            result: ForwardAttemptResult(rawValue: row[3]) ?? .retry, httpStatus: row[4], exitStatus: row[5],
                            signal: row[6], error: row[7], output: row[8])
                    }
                return ForwardEventStatus(
                    target: job[1], state: state,
                    scheduledAt: (state == .pending || state == .retrying) ? (job[3] as Int64?).map(Self.date) : nil,
                    attempts: attempts)
            }
        }
    }

    static func date(_ micros: Int64) -> Date { Date(timeIntervalSince1970: Double(micros) / 1_000_000) }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

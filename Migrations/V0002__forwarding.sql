-- V0002: the forwarding outbox. Forward-only: never edited once merged; the next change is V0003.
--
-- A job ("event E is owed to target T") is inserted in the same transaction that stores E, for every target whose
-- filters match, so an event Authy got its 200 for is never forgotten. A worker claims due jobs (state in_flight
-- until lease_until) and finishes them; the claim is one UPDATE … RETURNING here and FOR UPDATE SKIP LOCKED on a
-- shared PostgreSQL store. Times are INTEGER microseconds since the Unix epoch, as in V0001.

-- Every target the configuration has declared. A target that leaves the configuration keeps its row and its jobs
-- (removed = 1) and resumes if it comes back under the same name; `authyctl forward drop` deletes both.
CREATE TABLE forward_target (
    name        TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('url', 'exec')),
    paused      INTEGER NOT NULL DEFAULT 0,
    removed     INTEGER NOT NULL DEFAULT 0,
    added_at    INTEGER NOT NULL,
    -- Kept here rather than found among the jobs, so that `forward status` reads one row per target.
    last_delivered_at  INTEGER,
    last_error         TEXT
);

CREATE TABLE forward_job (
    id            INTEGER PRIMARY KEY,
    target        TEXT    NOT NULL REFERENCES forward_target(name) ON DELETE CASCADE,
    event_id      INTEGER NOT NULL REFERENCES event(id) ON DELETE CASCADE,
    state         TEXT    NOT NULL CHECK (state IN ('pending', 'retrying', 'in_flight', 'dead', 'delivered')),
    attempts      INTEGER NOT NULL DEFAULT 0,  -- attempts ever made: the Authy-Forward-Attempt number
    round         INTEGER NOT NULL DEFAULT 0,  -- attempts since it was (re)queued: the place in RetrySchedule=
    scheduled_at  INTEGER NOT NULL,            -- due from then (pending, retrying)
    lease_until   INTEGER,                     -- in_flight: another worker may take it over after this
    claimed_by    TEXT,                        -- in_flight: the receiver (and claim) that holds it
    created_at    INTEGER NOT NULL,
    finished_at   INTEGER,                     -- delivered or dead
    last_error    TEXT,
    UNIQUE (target, event_id)
);
-- Due work of one target, and fifo's head: only jobs not yet finished are indexed.
CREATE INDEX forward_job_due ON forward_job(target, scheduled_at)
    WHERE state IN ('pending', 'retrying', 'in_flight');
CREATE INDEX forward_job_open_order ON forward_job(target, event_id)
    WHERE state IN ('pending', 'retrying', 'in_flight');
CREATE INDEX forward_job_target_state ON forward_job(target, state);
CREATE INDEX forward_job_event ON forward_job(event_id);

-- Every attempt's outcome, kept for `authyctl events show`.
CREATE TABLE forward_attempt (
    id            INTEGER PRIMARY KEY,
    job_id        INTEGER NOT NULL REFERENCES forward_job(id) ON DELETE CASCADE,
    attempt       INTEGER NOT NULL,
    started_at    INTEGER NOT NULL,
    duration_us   INTEGER NOT NULL,
    result        TEXT    NOT NULL CHECK (result IN ('delivered', 'retry', 'dead', 'interrupted')),
    http_status   INTEGER,
    exit_status   INTEGER,
    signal        INTEGER,
    error         TEXT,
    output        TEXT                         -- the last 4 KiB of the response body, or of stdout and stderr
);
CREATE INDEX forward_attempt_job ON forward_attempt(job_id);

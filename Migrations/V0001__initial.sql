-- V0001: deliveries, events and the webhook registry.
--
-- Forward-only: once merged, this file is never edited (Tests/EventStoreTests pins its SHA-256).
-- A schema change is a new file V0002__….sql registered in Migrations/SchemaMigrations.swift.
--
-- Times are INTEGER microseconds since the Unix epoch (UTC): exact, compact, and fast to index.
-- In the sqlite3 shell: datetime(received_at / 1000000, 'unixepoch').

-- One row per accepted (verified) POST. The raw token is kept as received, so a delivery can always be re-read
-- and re-verified; its SHA-256 makes the same delivery idempotent in any envelope and across restarts.
CREATE TABLE delivery (
    id            INTEGER PRIMARY KEY,
    token_sha256  BLOB    NOT NULL UNIQUE,
    token         TEXT    NOT NULL,
    received_at   INTEGER NOT NULL,
    remote_addr   TEXT,
    webhook       TEXT    NOT NULL,          -- name of the webhook whose signing key verified it
    webhook_id    TEXT,                      -- Authy's WH_… id when the key came from the registry
    event_count   INTEGER NOT NULL
);
CREATE INDEX delivery_received_at ON delivery(received_at);

-- One row per item of the JWT's params.events; a delivery whose payload is unreadable gets one row with type NULL.
-- received_at and webhook are copied from the delivery so that every filter is served by one index.
CREATE TABLE event (
    id            INTEGER PRIMARY KEY,
    delivery_id   INTEGER NOT NULL REFERENCES delivery(id) ON DELETE CASCADE,
    received_at   INTEGER NOT NULL,
    type          TEXT,
    occurred_at   TEXT,                      -- the item's "time", as sent
    request_id    TEXT,
    webhook       TEXT    NOT NULL,
    payload       TEXT    NOT NULL           -- the event item, byte for byte as received
);
CREATE INDEX event_received_at ON event(received_at);
CREATE INDEX event_type_received_at ON event(type, received_at);
CREATE INDEX event_webhook_received_at ON event(webhook, received_at);
CREATE INDEX event_delivery ON event(delivery_id);

-- The local registry of the account's webhooks: what Authy has (pulled by sync, made by create) and what the
-- configuration declares with a SigningKey=. The receiver verifies against every signing key here.
CREATE TABLE webhook (
    id              TEXT PRIMARY KEY,        -- Authy's WH_… id, or "config:<name>" for a key known only from the config
    name            TEXT    NOT NULL,
    url             TEXT,
    events          TEXT    NOT NULL DEFAULT '[]',   -- JSON array of event names
    signing_key     TEXT,
    source          TEXT    NOT NULL CHECK (source IN ('authy', 'created', 'config')),
    created_at      INTEGER NOT NULL,
    last_synced_at  INTEGER
);
CREATE INDEX webhook_name ON webhook(name);

-- Signing keys of webhooks that were deleted or recreated. They keep verifying for [Receiver] RetiredKeyGrace=,
-- so that deliveries already in flight when the key changed are not lost.
CREATE TABLE retired_signing_key (
    id            INTEGER PRIMARY KEY,
    webhook_id    TEXT    NOT NULL,
    webhook_name  TEXT    NOT NULL,
    signing_key   TEXT    NOT NULL,
    retired_at    INTEGER NOT NULL
);
CREATE INDEX retired_signing_key_retired_at ON retired_signing_key(retired_at);

-- A single row the health check and the watchdog write to: a write that fails here (disk full, lock held)
-- means deliveries would fail too.
CREATE TABLE health_probe (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at  INTEGER NOT NULL
);
INSERT INTO health_probe (id, checked_at) VALUES (1, 0);

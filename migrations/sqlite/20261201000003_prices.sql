-- Price watches (sqlite). Paired with the other backend.

-- A person's watch on one source's symbol, alerting in the conversation it was
-- set in. Prices are decimals kept as text (compared in Herald, never as
-- binary floats).
CREATE TABLE price_watches (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_key BIGINT  NOT NULL,
    owner_user_id    TEXT,
    source           TEXT    NOT NULL,
    symbol           TEXT    NOT NULL,
    currency         TEXT,
    -- The rule as JSON: {"kind": "below", "price": "30000"}, {"kind": "drops", "percent": "20"} …
    rule_json        TEXT    NOT NULL,
    repeat           INTEGER NOT NULL,
    -- The price relative rules compare with, and the lowest seen since.
    base             TEXT    NOT NULL,
    low              TEXT    NOT NULL,
    -- Whether it may alert (a repeating watch disarms until the price crosses back).
    armed            INTEGER NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('active', 'completed', 'cancelled')),
    last_price       TEXT,
    last_alert_at    INTEGER,
    -- The chat activity that set it: a redelivered activity sets nothing twice.
    activity_id      TEXT,
    -- Its source keeps failing, and its owner was told.
    stalled          INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
-- Every watch on a pushed or fetched price, in pages.
CREATE INDEX price_watches_by_symbol ON price_watches (source, symbol, id) WHERE state = 'active';
CREATE INDEX price_watches_by_conversation ON price_watches (conversation_key, id) WHERE state = 'active';
CREATE INDEX price_watches_by_owner ON price_watches (owner_user_id) WHERE state = 'active';
CREATE UNIQUE INDEX price_watches_by_activity ON price_watches (conversation_key, activity_id)
    WHERE activity_id IS NOT NULL;

-- Prices as they came, for sparklines; pruned by housekeeping.
CREATE TABLE price_history (
    source   TEXT NOT NULL,
    symbol   TEXT NOT NULL,
    at       INTEGER NOT NULL,
    price    TEXT NOT NULL,
    currency TEXT
);
CREATE INDEX price_history_by_symbol ON price_history (source, symbol, at);
CREATE INDEX price_history_by_age ON price_history (at);

-- Sources Herald has heard of: push-only ones the API used, and the health of
-- polled ones (failures in a row, and whether their watches were told).
CREATE TABLE price_sources (
    name          TEXT PRIMARY KEY,
    pushed_at     INTEGER,
    failures      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT,
    stalled       INTEGER NOT NULL DEFAULT 0,
    updated_at    INTEGER NOT NULL
);

-- One polling trigger per (source, symbol) any watch needs: a price_watch
-- trigger in the source's own conversation (channel 'herald'), its text the
-- symbol. Shared by every watch on it: one fetch per interval for all.
CREATE UNIQUE INDEX triggers_one_price_poll ON triggers (conversation_key, text)
    WHERE kind = 'price_watch' AND state = 'active';

-- Whose a message is when no trigger owns it (a price alert): for their
-- language, zone and quiet hours.
ALTER TABLE outbox ADD COLUMN owner_user_id TEXT;

-- Price polls are the trigger engine's own kind (SQLite). Paired with
-- migrations/postgres.
--
-- A price source's polling trigger was a 'price_watch' trigger in a made-up
-- conversation (channel 'herald', id 'prices/<source>'), its firings queued
-- as messages that delivery routed back to the poller. It is now a
-- 'price_poll' trigger of no conversation, naming its source itself; the
-- scheduler hands it to the poller, and no outbox row is written for it.
-- Every poll is kept with its symbol, schedule, next firing and count.

-- Queued, sent and dead polls: the trigger polls again without them.
DELETE FROM outbox
 WHERE conversation_key IN (SELECT id FROM conversations WHERE channel_id = 'herald');

-- SQLite cannot drop a NOT NULL or change a CHECK in place: the table is
-- built again. Its rows, converted, wait in a temporary table while the old
-- one is dropped and the new one made under its name; until the
-- transaction commits, the outbox's references to triggers are checked only
-- once their rows are back (deferred). The idempotency keys would go with
-- the old rows (ON DELETE CASCADE): kept aside and put back too.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE kept_triggers AS
SELECT t.id AS id,
       CASE WHEN c.channel_id = 'herald' THEN 'price_poll' ELSE t.kind END AS kind,
       t.state,
       CASE WHEN c.channel_id = 'herald' THEN NULL ELSE t.conversation_key END AS conversation_key,
       t.owner_user_id, t.text, t.schedule_json, t.time_zone, t.next_fire_at, t.fire_count,
       t.lease_owner, t.lease_until, t.created_at, t.updated_at, t.completed_at, t.last_error,
       t.paused_by, t.owner_channel_id,
       CASE WHEN c.channel_id = 'herald' THEN substr(c.conversation_id, length('prices/') + 1) END
           AS price_source
  FROM triggers t
  LEFT JOIN conversations c ON c.id = t.conversation_key;
CREATE TEMP TABLE kept_idempotency_keys AS SELECT * FROM idempotency_keys;
-- Ids go on from where they were (a deleted trigger's id is not reused).
CREATE TEMP TABLE kept_trigger_ids AS
SELECT seq FROM sqlite_sequence WHERE name = 'triggers';

DROP TABLE triggers;

CREATE TABLE triggers (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT    NOT NULL CHECK (kind IN ('job', 'timer', 'reminder', 'price_poll')),
    state            TEXT    NOT NULL CHECK (state IN ('active', 'paused', 'completed', 'cancelled', 'failed')),
    -- Where its message goes; NULL only for the engine's own (price polls).
    conversation_key INTEGER REFERENCES conversations (id),
    owner_user_id    TEXT,
    -- What to say when it fires (reminders), the symbol a price poll fetches;
    -- NULL for jobs.
    text             TEXT,
    -- The schedule (one-shot, interval, cron) as JSON; NULL for jobs.
    schedule_json    TEXT,
    time_zone        TEXT,
    -- The next occurrence; NULL while nothing is due (jobs, paused, finished).
    -- A price poll being polled is due again when its claim ends.
    next_fire_at     INTEGER,
    fire_count       INTEGER NOT NULL DEFAULT 0,
    -- A scheduler instance's claim on the row while it fires it.
    lease_owner      TEXT,
    lease_until      INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    completed_at     INTEGER,
    last_error       TEXT,
    paused_by        TEXT,
    owner_channel_id TEXT,
    -- The price source a price poll fetches from.
    price_source     TEXT,
    CHECK ((kind = 'price_poll') = (conversation_key IS NULL)),
    CHECK ((kind = 'price_poll') = (price_source IS NOT NULL))
);

INSERT INTO triggers (id, kind, state, conversation_key, owner_user_id, text, schedule_json,
        time_zone, next_fire_at, fire_count, lease_owner, lease_until, created_at, updated_at,
        completed_at, last_error, paused_by, owner_channel_id, price_source)
SELECT id, kind, state, conversation_key, owner_user_id, text, schedule_json,
       time_zone, next_fire_at, fire_count, lease_owner, lease_until, created_at, updated_at,
       completed_at, last_error, paused_by, owner_channel_id, price_source
  FROM kept_triggers;
INSERT INTO idempotency_keys SELECT * FROM kept_idempotency_keys;
DELETE FROM sqlite_sequence WHERE name = 'triggers';
INSERT INTO sqlite_sequence (name, seq) SELECT 'triggers', seq FROM kept_trigger_ids;
DROP TABLE kept_triggers;
DROP TABLE kept_idempotency_keys;
DROP TABLE kept_trigger_ids;

CREATE INDEX triggers_due ON triggers (next_fire_at) WHERE state = 'active' AND next_fire_at IS NOT NULL;
CREATE INDEX triggers_by_conversation ON triggers (conversation_key, id);
CREATE INDEX triggers_jobs ON triggers (id) WHERE kind = 'job';
-- One active poll per source and symbol, shared by every watch on it.
CREATE UNIQUE INDEX triggers_one_price_poll ON triggers (price_source, text)
    WHERE kind = 'price_poll' AND state = 'active';
CREATE INDEX triggers_active_by_owner ON triggers (owner_channel_id, owner_user_id)
    WHERE state = 'active';
CREATE INDEX triggers_open_reminders ON triggers (conversation_key, owner_channel_id, owner_user_id)
    WHERE kind = 'reminder' AND state IN ('active', 'paused');

-- The made-up conversations are gone with the polls' detour.
DELETE FROM handled_activities
 WHERE conversation_key IN (SELECT id FROM conversations WHERE channel_id = 'herald');
DELETE FROM conversations WHERE channel_id = 'herald';

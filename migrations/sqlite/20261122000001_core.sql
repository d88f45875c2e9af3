-- Herald core schema (SQLite). Instants are UTC milliseconds since the epoch,
-- so they compare as numbers and index well. Paired with migrations/postgres.

-- Conversations Herald may write to, with the reference learnt from the last
-- activity that arrived in each.
CREATE TABLE conversations (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    channel_id           TEXT    NOT NULL,
    conversation_id      TEXT    NOT NULL,
    service_url          TEXT    NOT NULL,
    conversation_type    TEXT,
    tenant_id            TEXT,
    is_group             INTEGER NOT NULL DEFAULT 0,
    bot_id               TEXT,
    user_id              TEXT,
    user_aad_object_id   TEXT,
    locale               TEXT,
    local_timezone       TEXT,
    -- The channel's conversation reference verbatim, unknown fields included.
    reference_json       TEXT    NOT NULL,
    -- Set once the service URL came with an authenticated activity.
    service_url_verified INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL,
    UNIQUE (channel_id, conversation_id)
);

-- The durable trigger table: jobs (waiting for completion), timers, reminders
-- and price watches. The row is the schedule: nothing lives only in memory.
CREATE TABLE triggers (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT    NOT NULL CHECK (kind IN ('job', 'timer', 'reminder', 'price_watch')),
    state            TEXT    NOT NULL CHECK (state IN ('active', 'paused', 'completed', 'cancelled', 'failed')),
    conversation_key INTEGER NOT NULL REFERENCES conversations (id),
    owner_user_id    TEXT,
    -- What to say when it fires (reminders); NULL for jobs.
    text             TEXT,
    -- The schedule (one-shot, interval, cron) as JSON; NULL for jobs.
    schedule_json    TEXT,
    time_zone        TEXT,
    -- The next occurrence; NULL while nothing is due (jobs, paused, finished).
    next_fire_at     INTEGER,
    fire_count       INTEGER NOT NULL DEFAULT 0,
    -- A scheduler instance's claim on the row while it fires it.
    lease_owner      TEXT,
    lease_until      INTEGER,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    completed_at     INTEGER
);
CREATE INDEX triggers_due ON triggers (next_fire_at) WHERE state = 'active' AND next_fire_at IS NOT NULL;
CREATE INDEX triggers_by_conversation ON triggers (conversation_key, id);
CREATE INDEX triggers_by_kind ON triggers (kind, id);

-- Activity ids already handled per conversation, so a redelivered activity
-- changes nothing twice. Pruned after the de-duplication window.
CREATE TABLE handled_activities (
    conversation_key INTEGER NOT NULL REFERENCES conversations (id),
    activity_id      TEXT    NOT NULL,
    handled_at       INTEGER NOT NULL,
    PRIMARY KEY (conversation_key, activity_id)
);
CREATE INDEX handled_activities_by_age ON handled_activities (handled_at);

-- Proactive messages waiting to be delivered, written in the same transaction
-- as the change that caused them; marked sent only once the channel accepted.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_key INTEGER NOT NULL REFERENCES conversations (id),
    trigger_id       INTEGER REFERENCES triggers (id),
    -- Which firing of the trigger this is: each occurrence reaches the outbox once.
    occurrence       TEXT,
    payload          TEXT    NOT NULL,
    state            TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    claimed_until    INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER,
    UNIQUE (trigger_id, occurrence)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_pending_by_conversation ON outbox (conversation_key, id) WHERE state = 'pending';

-- The trigger engine (SQLite). Paired with migrations/postgres.

-- Why a trigger stopped (state 'failed'), for the API and the logs.
ALTER TABLE triggers ADD COLUMN last_error TEXT;

-- Idempotency-Key of API create requests: a retry with the same key (of the
-- same caller) gets the first result instead of a second trigger. Pruned
-- after a day.
CREATE TABLE idempotency_keys (
    key            TEXT    PRIMARY KEY,
    request_sha256 TEXT    NOT NULL,
    trigger_id     INTEGER NOT NULL REFERENCES triggers (id) ON DELETE CASCADE,
    created_at     INTEGER NOT NULL
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

-- Sent and dead-lettered messages are pruned by age.
CREATE INDEX outbox_finished_by_age ON outbox (created_at) WHERE state <> 'pending';

-- The API lists triggers by the channel's conversation id.
CREATE INDEX conversations_by_conversation_id ON conversations (conversation_id);

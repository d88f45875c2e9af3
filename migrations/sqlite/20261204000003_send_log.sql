-- The exact per-conversation windows (issue 18): each conversation's recent
-- sends, by scope ('c' and its key), in microseconds since the epoch. A send
-- is deleted once it counts in no window; a decision reads at most the
-- largest window's limit of them, newest first.
CREATE TABLE send_log (
    scope   TEXT   NOT NULL,
    sent_us BIGINT NOT NULL
);
CREATE INDEX send_log_by_scope ON send_log (scope, sent_us);

-- The per-conversation GCRA state the log replaces; the bot's stays.
DELETE FROM send_budget WHERE scope <> 'bot';

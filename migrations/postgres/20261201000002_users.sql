-- The people Herald talks to, per channel (postgres). Paired with the other backend.
-- Their settings (time zone, language, quiet hours) and what their last
-- activity said of them (name, locale, the device's zone), so that proactive
-- messages speak their language, show their times and mention them by name.
CREATE TABLE users (
    channel_id      TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    name            TEXT,
    -- Their `timezone` setting (an IANA name).
    time_zone       TEXT,
    -- Their `language` setting: en, pt-BR, pt-PT or fr.
    language        TEXT,
    -- From their last activity.
    locale          TEXT,
    local_timezone  TEXT,
    -- Quiet hours, in minutes after local midnight; both set or both NULL.
    quiet_start     INTEGER,
    quiet_end       INTEGER,
    -- The device's UTC offset (minutes) Herald last warned about.
    warned_offset   INTEGER,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (channel_id, user_id)
);

-- Reminders are counted per owner and per conversation (limits.reminders_*).
CREATE INDEX triggers_open_reminders ON triggers (conversation_key, owner_user_id)
    WHERE kind = 'reminder' AND state IN ('active', 'paused');

-- A message held for its recipient's quiet hours, until when: it does not
-- hold back the conversation's later messages meanwhile (a reminder comes at
-- the time its owner chose), and goes out with the others held then.
ALTER TABLE outbox ADD COLUMN held_until TIMESTAMPTZ;

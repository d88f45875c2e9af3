-- A person is a channel's user: (channel id, user id) (sqlite). Paired with the other backend.
-- A bare user id named anyone in any channel, so a web chat client that sent a
-- Teams user's id could use up, cancel or forget what that user owned. Owners
-- now carry their channel: existing ones take the channel of the conversation
-- they set the trigger or watch in (the only channel they could speak from).

ALTER TABLE triggers ADD COLUMN owner_channel_id TEXT;
UPDATE triggers SET owner_channel_id =
    (SELECT c.channel_id FROM conversations c WHERE c.id = triggers.conversation_key)
    WHERE owner_user_id IS NOT NULL;

ALTER TABLE price_watches ADD COLUMN owner_channel_id TEXT;
UPDATE price_watches SET owner_channel_id =
    (SELECT c.channel_id FROM conversations c WHERE c.id = price_watches.conversation_key)
    WHERE owner_user_id IS NOT NULL;

ALTER TABLE outbox ADD COLUMN owner_channel_id TEXT;
UPDATE outbox SET owner_channel_id =
    (SELECT c.channel_id FROM conversations c WHERE c.id = outbox.conversation_key)
    WHERE owner_user_id IS NOT NULL;

-- Limits count what a person owns: by the pair.
DROP INDEX triggers_active_by_owner;
CREATE INDEX triggers_active_by_owner ON triggers (owner_channel_id, owner_user_id)
    WHERE state = 'active';
DROP INDEX triggers_open_reminders;
CREATE INDEX triggers_open_reminders ON triggers (conversation_key, owner_channel_id, owner_user_id)
    WHERE kind = 'reminder' AND state IN ('active', 'paused');
DROP INDEX price_watches_by_owner;
CREATE INDEX price_watches_by_owner ON price_watches (owner_channel_id, owner_user_id)
    WHERE state = 'active';

-- Web chat clients that named no user all spoke as one 'webchat-user', who
-- could then cancel or forget each other's reminders. Each such conversation
-- becomes a person of its own ('dl_' and its id), keeping its reminders,
-- watches and a copy of the shared settings.
UPDATE triggers SET owner_user_id = 'dl_' ||
    (SELECT c.conversation_id FROM conversations c WHERE c.id = triggers.conversation_key)
    WHERE owner_channel_id = 'webchat' AND owner_user_id = 'webchat-user';
UPDATE price_watches SET owner_user_id = 'dl_' ||
    (SELECT c.conversation_id FROM conversations c WHERE c.id = price_watches.conversation_key)
    WHERE owner_channel_id = 'webchat' AND owner_user_id = 'webchat-user';
UPDATE outbox SET owner_user_id = 'dl_' ||
    (SELECT c.conversation_id FROM conversations c WHERE c.id = outbox.conversation_key)
    WHERE owner_channel_id = 'webchat' AND owner_user_id = 'webchat-user';
INSERT INTO users (channel_id, user_id, name, time_zone, language, locale, local_timezone,
        quiet_start, quiet_end, warned_offset, created_at, updated_at)
    SELECT 'webchat', 'dl_' || w.id, u.name, u.time_zone, u.language, u.locale,
        u.local_timezone, u.quiet_start, u.quiet_end, u.warned_offset, u.created_at, u.updated_at
    FROM webchat_conversations w JOIN users u
        ON u.channel_id = 'webchat' AND u.user_id = 'webchat-user'
    WHERE w.user_id = 'webchat-user';
DELETE FROM users WHERE channel_id = 'webchat' AND user_id = 'webchat-user';
UPDATE conversations SET user_id = 'dl_' || conversation_id
    WHERE channel_id = 'webchat' AND user_id = 'webchat-user';
UPDATE webchat_conversations SET user_id = 'dl_' || id
    WHERE user_id IS NULL OR user_id = 'webchat-user';

-- Who a web chat conversation speaks as is now bound by Herald when it is
-- made (from the secret holder's `user`, or chosen at random), with the name
-- the secret holder gave, if any.
ALTER TABLE webchat_conversations ADD COLUMN user_name TEXT;

-- The built-in page's person across conversations: a credential Herald issued
-- to one browser, kept as a SHA-256 digest. Revoked by `forget me`, pruned
-- when unused for long.
CREATE TABLE webchat_browsers (
    credential_sha256 TEXT PRIMARY KEY,
    user_id           TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    last_used_at      INTEGER NOT NULL
);
CREATE INDEX webchat_browsers_by_user ON webchat_browsers (user_id);
CREATE INDEX webchat_browsers_by_use ON webchat_browsers (last_used_at);

-- Price polls are the trigger engine's own kind (PostgreSQL). Paired with
-- migrations/sqlite.
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

ALTER TABLE triggers DROP CONSTRAINT triggers_kind_check;
-- Where its message goes; NULL only for the engine's own (price polls).
ALTER TABLE triggers ALTER COLUMN conversation_key DROP NOT NULL;
-- The price source a price poll fetches from (its symbol is its text).
ALTER TABLE triggers ADD COLUMN price_source TEXT;

UPDATE triggers t
   SET kind = 'price_poll',
       conversation_key = NULL,
       price_source = substr(c.conversation_id, length('prices/') + 1)
  FROM conversations c
 WHERE c.id = t.conversation_key AND c.channel_id = 'herald';

ALTER TABLE triggers ADD CONSTRAINT triggers_kind_check
    CHECK (kind IN ('job', 'timer', 'reminder', 'price_poll'));
ALTER TABLE triggers ADD CONSTRAINT triggers_price_poll_has_no_conversation
    CHECK ((kind = 'price_poll') = (conversation_key IS NULL));
ALTER TABLE triggers ADD CONSTRAINT triggers_price_poll_has_a_source
    CHECK ((kind = 'price_poll') = (price_source IS NOT NULL));

-- One active poll per source and symbol, shared by every watch on it.
DROP INDEX triggers_one_price_poll;
CREATE UNIQUE INDEX triggers_one_price_poll ON triggers (price_source, text)
    WHERE kind = 'price_poll' AND state = 'active';

-- The made-up conversations are gone with the polls' detour.
DELETE FROM handled_activities
 WHERE conversation_key IN (SELECT id FROM conversations WHERE channel_id = 'herald');
DELETE FROM conversations WHERE channel_id = 'herald';

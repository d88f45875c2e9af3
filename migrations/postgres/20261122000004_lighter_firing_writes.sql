-- The outbox drops its foreign keys (PostgreSQL only). Why: every outbox row
-- a firing writes is derived from a trigger row the same transaction holds
-- locked (and that trigger references its conversation), so the checks add
-- nothing there — yet they cost half of a firing batch's insert, and their
-- FOR KEY SHARE locks on the shared conversation rows made concurrent firing
-- transactions (several instances) contend through multixacts.
-- What keeps the rows consistent instead: forgetting a user stops its
-- triggers before deleting their messages; idle conversations are pruned only
-- with nothing pending; and delivery dead-letters a message whose conversation
-- is gone. SQLite keeps its keys: one writer, and the checks are cheap there.
ALTER TABLE outbox DROP CONSTRAINT outbox_conversation_key_fkey;
ALTER TABLE outbox DROP CONSTRAINT outbox_trigger_id_fkey;

-- Every fired trigger gets a new row version and an entry in each index on
-- triggers; (kind, id) cost a third of the firing update. Only jobs are
-- looked up by kind where it matters (listing and counting them among
-- millions of timers), and jobs never fire: a partial index serves them and
-- stays out of the way of firing.
DROP INDEX triggers_by_kind;
CREATE INDEX triggers_jobs ON triggers (id) WHERE kind = 'job';

-- Lighter firing writes (SQLite). Paired with migrations/postgres, which
-- also drops the outbox's foreign keys (they stay here: one writer, cheap checks).

-- Every fired trigger rewrites an entry in each index on triggers. Only jobs
-- are looked up by kind where it matters (listing and counting them among
-- millions of timers), and jobs never fire: a partial index serves them and
-- stays out of the way of firing.
DROP INDEX triggers_by_kind;
CREATE INDEX triggers_jobs ON triggers (id) WHERE kind = 'job';

-- Open jobs are counted per owner when a user starts one (limits.jobs_per_user).
CREATE INDEX triggers_active_by_owner ON triggers (owner_user_id) WHERE state = 'active';

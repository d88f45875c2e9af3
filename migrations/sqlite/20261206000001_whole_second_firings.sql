-- Cron firings are on the second they name (issue 16). Before this, a cron
-- trigger's next firing carried the milliseconds of the moment it was set
-- (09:00:00.716); each later firing kept them. Truncate the stored ones: the
-- engine computes whole seconds from now on. Intervals keep their anchor's
-- milliseconds on purpose (anchored to their start), and a one-shot is the
-- instant it was given.
UPDATE triggers
   SET next_fire_at = next_fire_at - (next_fire_at % 1000)
 WHERE next_fire_at IS NOT NULL
   AND next_fire_at % 1000 <> 0
   AND json_extract(schedule_json, '$.cron') IS NOT NULL;

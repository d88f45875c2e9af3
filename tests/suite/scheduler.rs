//! The trigger engine against real databases: each schedule kind, DST at the
//! engine level, end conditions, pause/resume, misfires after downtime, a
//! batch that dies mid-transaction, and three schedulers sharing one database.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use herald::domain::clock::{Clock, ManualClock};
use herald::domain::conversation::ConversationKey;
use herald::domain::firing::FiringRules;
use herald::domain::lifecycle::Action;
use herald::domain::person::PersonRef;
use herald::domain::ports::{DueTrigger, Firing, FiringPlanner, OpenLimits, Store, TriggerCreated};
use herald::domain::schedule::ScheduleSpec;
use herald::domain::trigger::{TriggerId, TriggerKind, TriggerRecord, TriggerState};
use herald::service::triggers::{Controlled, CreateError, TriggerRequest, Triggers};
use tokio::sync::Notify;

use crate::helpers::TestDatabase;
use crate::on_both_backends;
use crate::store::open;

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// A store, a manual clock, the control service, and one conversation.
struct Engine {
    store: Arc<dyn Store>,
    clock: Arc<ManualClock>,
    control: Triggers,
    conversation: ConversationKey,
}

impl Engine {
    async fn start(db: &TestDatabase, now: &str) -> Self {
        let store = open(db).await;
        let clock = Arc::new(ManualClock::new(utc(now)));
        let record = crate::store::record("conv-1");
        let conversation = store
            .upsert_conversation(&record, clock.now())
            .await
            .unwrap();
        let control = Triggers::new(
            Arc::clone(&store) as _,
            clock.clone(),
            Arc::new(Notify::new()),
        );
        Self {
            store,
            clock,
            control,
            conversation,
        }
    }

    async fn create(&self, text: &str, schedule: &str) -> TriggerRecord {
        let spec: ScheduleSpec = serde_json::from_str(schedule).unwrap();
        let request = TriggerRequest {
            kind: TriggerKind::Reminder,
            conversation: self.conversation,
            owner: Some(PersonRef::new("emulator", "u1")),
            text,
            schedule: &spec,
            time_zone: None,
            idempotency: None,
            limits: OpenLimits::NONE,
        };
        match self.control.create(&request).await.unwrap() {
            TriggerCreated::Created(record) => record,
            other => panic!("not created: {other:?}"),
        }
    }

    /// Moves the clock to `at` and fires everything due then.
    async fn fire_at(&self, at: &str) -> usize {
        self.clock.set(utc(at));
        self.fire_now(FiringRules::default()).await
    }

    async fn fire_now(&self, rules: FiringRules) -> usize {
        let mut claimed = 0;
        loop {
            let batch = self
                .store
                .fire_due_triggers(self.clock.now(), 100, &rules)
                .await
                .unwrap();
            claimed += batch.claimed;
            if batch.claimed < 100 {
                return claimed;
            }
        }
    }

    async fn get(&self, id: TriggerId) -> TriggerRecord {
        self.store.trigger(id).await.unwrap().unwrap()
    }
}

/// Occurrence keys (due instants) that reached the outbox for one trigger.
async fn fired(db: &TestDatabase, id: TriggerId) -> Vec<DateTime<Utc>> {
    db.fired_occurrences()
        .await
        .into_iter()
        .filter(|(trigger, _)| *trigger == id.get())
        .map(|(_, occurrence)| {
            DateTime::from_timestamp_millis(occurrence.parse().unwrap()).unwrap()
        })
        .collect()
}

on_both_backends! {
    async fn a_one_shot_fires_once_and_completes(db: TestDatabase) {
        let engine = Engine::start(&db, "2026-12-24T17:00:00Z").await;
        let timer = engine.create("leave", r#"{"at": "2026-12-24T18:00:00Z"}"#).await;
        assert_eq!(timer.state, TriggerState::Active);
        assert_eq!(timer.next_fire_at, Some(utc("2026-12-24T18:00:00Z")));

        assert_eq!(engine.fire_at("2026-12-24T17:59:59.999Z").await, 0, "not due yet");
        assert_eq!(engine.fire_at("2026-12-24T18:00:00Z").await, 1);
        assert_eq!(engine.fire_at("2026-12-24T18:00:01Z").await, 0, "fired already");

        let done = engine.get(timer.id).await;
        assert_eq!(done.state, TriggerState::Completed);
        assert_eq!(done.next_fire_at, None);
        assert_eq!(done.fire_count, 1);
        assert_eq!(fired(&db, timer.id).await, vec![utc("2026-12-24T18:00:00Z")]);
        let payloads = db.payloads_of(timer.id.get()).await;
        assert_eq!(payloads[0]["kind"], "triggerFired");
        assert_eq!(payloads[0]["text"], "leave");
    }
}

on_both_backends! {
    async fn an_interval_is_anchored_to_its_start_whatever_the_lateness(db: TestDatabase) {
        let engine = Engine::start(&db, "2026-12-24T08:00:00Z").await;
        let every = engine
            .create("drink water", r#"{"every": "2h", "start": "2026-12-24T09:00:00Z"}"#)
            .await;
        assert_eq!(every.next_fire_at, Some(utc("2026-12-24T09:00:00Z")));
        // Fired 7 minutes late: the next one is still at 11:00, not 11:07.
        assert_eq!(engine.fire_at("2026-12-24T09:07:00Z").await, 1);
        assert_eq!(engine.get(every.id).await.next_fire_at, Some(utc("2026-12-24T11:00:00Z")));
        assert_eq!(engine.fire_at("2026-12-24T11:00:00Z").await, 1);
        assert_eq!(engine.get(every.id).await.next_fire_at, Some(utc("2026-12-24T13:00:00Z")));
        assert_eq!(
            fired(&db, every.id).await,
            vec![utc("2026-12-24T09:00:00Z"), utc("2026-12-24T11:00:00Z")]
        );
    }
}

on_both_backends! {
    async fn cron_keeps_its_wall_clock_time_across_dst_and_jumps_gaps(db: TestDatabase) {
        let engine = Engine::start(&db, "2027-03-27T00:00:00Z").await;
        // 09:00 in Lisbon: 09:00Z in winter, 08:00Z in summer.
        let lisbon = engine
            .create("stand-up", r#"{"cron": "0 9 * * *", "timezone": "Europe/Lisbon"}"#)
            .await;
        // 02:30 in Paris does not exist on 2027-03-28: it fires when the clocks jump (01:00Z).
        let paris = engine
            .create("night job", r#"{"cron": "30 2 * * *", "timezone": "Europe/Paris"}"#)
            .await;
        assert_eq!(lisbon.next_fire_at, Some(utc("2027-03-27T09:00:00Z")));
        assert_eq!(paris.next_fire_at, Some(utc("2027-03-27T01:30:00Z")));
        engine.fire_at("2027-03-27T01:30:00Z").await;
        assert_eq!(engine.get(paris.id).await.next_fire_at, Some(utc("2027-03-28T01:00:00Z")));
        engine.fire_at("2027-03-27T09:00:00Z").await;
        assert_eq!(engine.get(lisbon.id).await.next_fire_at, Some(utc("2027-03-28T08:00:00Z")));
        engine.fire_at("2027-03-28T01:00:00Z").await;
        assert_eq!(engine.get(paris.id).await.next_fire_at, Some(utc("2027-03-29T00:30:00Z")));
        assert_eq!(fired(&db, paris.id).await.len(), 2);
    }
}

on_both_backends! {
    async fn recurring_schedules_end_by_count_or_instant(db: TestDatabase) {
        let engine = Engine::start(&db, "2026-12-01T00:00:00Z").await;
        let counted = engine
            .create("three times", r#"{"every": "1h", "start": "2026-12-01T01:00:00Z", "count": 3}"#)
            .await;
        let until = engine
            .create("until 02:30", r#"{"every": "1h", "start": "2026-12-01T01:00:00Z", "until": "2026-12-01T02:30:00Z"}"#)
            .await;
        for hour in ["01", "02", "03", "04"] {
            engine.fire_at(&format!("2026-12-01T{hour}:00:00Z")).await;
        }
        let counted = engine.get(counted.id).await;
        assert_eq!((counted.state, counted.fire_count), (TriggerState::Completed, 3));
        let until = engine.get(until.id).await;
        assert_eq!((until.state, until.fire_count), (TriggerState::Completed, 2));
        assert_eq!(fired(&db, counted.id).await.len(), 3);
    }
}

on_both_backends! {
    async fn paused_triggers_do_not_fire_and_resume_from_now(db: TestDatabase) {
        let engine = Engine::start(&db, "2026-12-01T00:00:00Z").await;
        let hourly = engine
            .create("hourly", r#"{"every": "1h", "start": "2026-12-01T01:00:00Z"}"#)
            .await;
        let Controlled::Changed(paused) = engine.control.apply(hourly.id, Action::Pause).await.unwrap() else {
            panic!("pausing an active trigger changes it");
        };
        assert_eq!((paused.state, paused.next_fire_at), (TriggerState::Paused, None));
        assert!(paused.schedule.is_some(), "the schedule is kept");
        assert_eq!(engine.fire_at("2026-12-01T05:00:00Z").await, 0);

        engine.clock.set(utc("2026-12-01T05:20:00Z"));
        let Controlled::Changed(resumed) = engine.control.apply(hourly.id, Action::Resume).await.unwrap() else {
            panic!("resuming a paused trigger changes it");
        };
        assert_eq!(resumed.state, TriggerState::Active);
        assert_eq!(resumed.next_fire_at, Some(utc("2026-12-01T06:00:00Z")), "missed hours are skipped");
        assert_eq!(engine.fire_at("2026-12-01T06:00:00Z").await, 1);
        assert_eq!(fired(&db, hourly.id).await, vec![utc("2026-12-01T06:00:00Z")]);

        assert!(matches!(engine.control.apply(hourly.id, Action::Resume).await.unwrap(), Controlled::Unchanged(_)));
        let Controlled::Changed(cancelled) = engine.control.apply(hourly.id, Action::Cancel).await.unwrap() else {
            panic!("cancelling changes it");
        };
        assert_eq!((cancelled.state, cancelled.next_fire_at), (TriggerState::Cancelled, None));
        assert!(cancelled.completed_at.is_some());
        assert!(matches!(engine.control.apply(hourly.id, Action::Resume).await.unwrap(), Controlled::Refused(_)));
        assert_eq!(engine.fire_at("2026-12-01T09:00:00Z").await, 0);
        assert_eq!(
            engine.control.apply(TriggerId::new(999).unwrap(), Action::Pause).await.unwrap(),
            Controlled::NotFound
        );
    }
}

on_both_backends! {
    async fn after_downtime_each_trigger_fires_once_with_its_lateness(db: TestDatabase) {
        let engine = Engine::start(&db, "2026-12-01T08:00:00Z").await;
        let one_shot = engine.create("call Ana", r#"{"at": "2026-12-01T09:00:00Z"}"#).await;
        let hourly = engine
            .create("hourly", r#"{"every": "1h", "start": "2026-12-01T09:00:00Z"}"#)
            .await;
        // Herald was down from 08:30 to 14:10: nothing fired meanwhile.
        engine.clock.set(utc("2026-12-01T14:10:00Z"));
        assert_eq!(engine.fire_now(FiringRules::default()).await, 2);

        assert_eq!(fired(&db, one_shot.id).await, vec![utc("2026-12-01T09:00:00Z")]);
        let late = &db.payloads_of(one_shot.id.get()).await[0];
        assert_eq!(late["dueAt"], "2026-12-01T09:00:00Z");
        assert_eq!(late["firedAt"], "2026-12-01T14:10:00Z");
        assert_eq!(late["missed"], false, "no grace period by default");
        // One firing for the whole missed window, then on from the next future hour.
        assert_eq!(fired(&db, hourly.id).await, vec![utc("2026-12-01T09:00:00Z")]);
        assert_eq!(engine.get(hourly.id).await.next_fire_at, Some(utc("2026-12-01T15:00:00Z")));
        assert_eq!(engine.fire_now(FiringRules::default()).await, 0, "no catch-up burst");
    }
}

on_both_backends! {
    async fn past_the_grace_period_a_late_firing_is_marked_missed(db: TestDatabase) {
        let engine = Engine::start(&db, "2026-12-01T08:00:00Z").await;
        let soon = engine.create("soon", r#"{"at": "2026-12-01T09:00:00Z"}"#).await;
        let later = engine.create("later", r#"{"at": "2026-12-01T11:00:00Z"}"#).await;
        engine.clock.set(utc("2026-12-01T11:10:00Z"));
        let rules = FiringRules { misfire_grace: Some(Duration::minutes(30)) };
        assert_eq!(engine.fire_now(rules).await, 2);
        assert_eq!(db.payloads_of(soon.id.get()).await[0]["missed"], true);
        assert_eq!(db.payloads_of(later.id.get()).await[0]["missed"], false);
        assert_eq!(db.payloads_of(soon.id.get()).await[0]["text"], "soon", "still with its text");
    }
}

on_both_backends! {
    async fn schedules_without_a_future_occurrence_are_refused(db: TestDatabase) {
        let engine = Engine::start(&db, "2026-12-01T08:00:00Z").await;
        let spec: ScheduleSpec = serde_json::from_str(r#"{"at": "2026-12-01T07:59:59Z"}"#).unwrap();
        let request = TriggerRequest {
            kind: TriggerKind::Timer,
            conversation: engine.conversation,
            owner: None,
            text: "too late",
            schedule: &spec,
            time_zone: None,
            idempotency: None,
            limits: OpenLimits::NONE,
        };
        assert!(matches!(
            engine.control.create(&request).await,
            Err(CreateError::NoOccurrence { field: "schedule.at" })
        ));
        assert!(db.fired_occurrences().await.is_empty());
    }
}

/// Fires normally until the `fail_at`-th trigger of a batch, then dies, as a
/// process killed in the middle of a batch would.
struct DiesMidBatch {
    seen: std::sync::atomic::AtomicUsize,
    fail_at: usize,
}

impl FiringPlanner for DiesMidBatch {
    fn plan(&self, due: &DueTrigger, now: DateTime<Utc>) -> Firing {
        let seen = self.seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        assert!(seen < self.fail_at, "the scheduler dies mid-batch");
        FiringRules::default().plan(due, now)
    }
}

on_both_backends! {
    async fn a_batch_that_dies_midway_leaves_nothing_and_fires_after_restart(db: TestDatabase) {
        let engine = Engine::start(&db, "2026-12-01T08:00:00Z").await;
        db.seed_due_timers(engine.conversation.0, 50, utc("2026-12-01T08:00:00Z")).await;

        let store = Arc::clone(&engine.store);
        let now = engine.clock.now();
        let crashed = tokio::spawn(async move {
            let planner = DiesMidBatch { seen: 0.into(), fail_at: 30 };
            store.fire_due_triggers(now, 100, &planner).await
        })
        .await;
        assert!(crashed.is_err(), "the batch died");
        assert!(db.fired_occurrences().await.is_empty(), "the whole batch rolled back");
        assert_eq!(engine.store.next_trigger_due().await.unwrap(), Some(now));

        // "Restarted": a fresh store on the same database fires all 50, once.
        let restarted = open(&db).await;
        let batch = restarted.fire_due_triggers(now, 100, &FiringRules::default()).await.unwrap();
        assert_eq!((batch.claimed, batch.queued), (50, 50));
        let fired = db.fired_occurrences().await;
        assert_eq!(fired.len(), 50);
        let mut triggers: Vec<i64> = fired.iter().map(|(id, _)| *id).collect();
        triggers.dedup();
        assert_eq!(triggers.len(), 50);
    }
}

on_both_backends! {
    async fn three_schedulers_fire_ten_thousand_triggers_exactly_once(db: TestDatabase) {
        let engine = Engine::start(&db, "2026-12-01T08:00:00Z").await;
        db.seed_due_timers(engine.conversation.0, 9_900, utc("2026-12-01T08:00:00Z")).await;
        // Recurring ones too: each fires once and moves to the future.
        let mut hourly = Vec::new();
        for i in 0..100 {
            let text = format!("hourly {i}");
            hourly.push(engine.create(&text, r#"{"every": "1h", "start": "2026-12-01T07:00:00Z"}"#).await.id);
        }
        // The hourly ones were created at 08:00, so their first is 09:00: fire then.
        let now = utc("2026-12-01T09:00:00Z");

        let mut instances = Vec::new();
        for _ in 0..3 {
            // Each instance has its own connections, as separate processes do.
            let store = open(&db).await;
            instances.push(tokio::spawn(async move {
                let mut claimed = 0;
                loop {
                    let batch = store.fire_due_triggers(now, 250, &FiringRules::default()).await.unwrap();
                    claimed += batch.claimed;
                    if batch.claimed == 0 && store.next_trigger_due().await.unwrap().is_none_or(|due| due > now) {
                        return claimed;
                    }
                }
            }));
        }
        let mut shares = Vec::new();
        for instance in instances {
            shares.push(instance.await.unwrap());
        }
        assert_eq!(shares.iter().sum::<usize>(), 10_000, "shares: {shares:?}");

        let fired = db.fired_occurrences().await;
        assert_eq!(fired.len(), 10_000, "no miss, no duplicate");
        let mut distinct = fired.clone();
        distinct.dedup_by_key(|(id, _)| *id);
        assert_eq!(distinct.len(), 10_000, "each trigger fired once");
        for id in hourly {
            assert_eq!(engine.get(id).await.next_fire_at, Some(utc("2026-12-01T10:00:00Z")));
        }
        assert_eq!(engine.store.next_trigger_due().await.unwrap(), Some(utc("2026-12-01T10:00:00Z")));
    }
}

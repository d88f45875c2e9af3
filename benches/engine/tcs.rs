//! The tokio-cron-scheduler side, run in a child process of its own so its
//! memory is its own: holding daily jobs idle, and firing one-shots at once.

use std::collections::HashSet;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{percentiles, status_field};

pub(crate) fn run_tcs_burst(jobs: usize, channel_size: usize) {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--tcs-burst", &jobs.to_string(), &channel_size.to_string()])
        .output()
        .unwrap();
    print!("{}", String::from_utf8_lossy(&output.stdout));
}

/// Child: tokio-cron-scheduler holding `jobs` daily jobs, idling.
pub(crate) fn tcs_hold(jobs: usize) {
    use tokio_cron_scheduler::{Job, JobScheduler};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let scheduler = JobScheduler::new().await.unwrap();
        for _ in 0..jobs {
            let job = Job::new_async("0 0 9 * * *", |_, _| Box::pin(async {})).unwrap();
            scheduler.add(job).await.unwrap();
        }
        scheduler.start().await.unwrap();
        println!("{jobs} jobs added");
        std::future::pending::<()>().await;
    });
}

/// Child: tokio-cron-scheduler firing `jobs` one-shot jobs due at one instant.
pub(crate) fn tcs_burst(jobs: usize, channel_size: usize) {
    use tokio_cron_scheduler::{Job, JobScheduler};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let scheduler = JobScheduler::new_with_channel_size(channel_size).await.unwrap();
        let lead = Duration::from_secs(30);
        let due = Instant::now() + lead;
        let fired: Arc<Mutex<Vec<i64>>> = Arc::new(Mutex::new(Vec::with_capacity(jobs)));
        let seen: Arc<Mutex<HashSet<uuid_like::Id>>> = Arc::default();
        for _ in 0..jobs {
            let fired = Arc::clone(&fired);
            let seen = Arc::clone(&seen);
            let job = Job::new_one_shot_at_instant_async(due, move |id, _| {
                let fired = Arc::clone(&fired);
                let seen = Arc::clone(&seen);
                Box::pin(async move {
                    if seen.lock().unwrap().insert(uuid_like::Id(id.as_u128())) {
                        let late = Instant::now().saturating_duration_since(due);
                        fired.lock().unwrap().push(late.as_millis() as i64);
                    }
                })
            })
            .unwrap();
            scheduler.add(job).await.unwrap();
        }
        assert!(Instant::now() < due, "adding the jobs took longer than the lead");
        scheduler.start().await.unwrap();
        tokio::time::sleep_until((due + Duration::from_secs(20)).into()).await;
        let fired = fired.lock().unwrap().clone();
        println!(
            "burst, tokio-cron-scheduler (channel size {channel_size}): {} of {jobs} fired within 20 s; lateness {}; peak resident {} MiB",
            fired.len(),
            percentiles(fired.clone()),
            status_field(std::process::id(), "VmHWM:") / 1024,
        );
    });
}

mod uuid_like {
    /// A job id, kept as a number (uuid is not a direct dependency).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub struct Id(pub u128);
}

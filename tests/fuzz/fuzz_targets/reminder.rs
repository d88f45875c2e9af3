//! Arbitrary chat text through the reminder grammar: it must never panic,
//! and whatever it accepts must be a schedule the trigger engine builds, with
//! a first firing after "now" and text taken from the message.
#![no_main]

use chrono::{DateTime, Utc};
use herald::domain::reminder;
use herald::domain::schedule::Zone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let now = DateTime::from_timestamp(1_795_000_000, 0).unwrap_or(DateTime::<Utc>::MIN_UTC);
    for zone in ["Europe/Lisbon", "America/Sao_Paulo"] {
        let zone = Zone::parse(zone).unwrap();
        for input in [text.to_string(), format!("remind me {text}"), format!("rappelle-moi {text}")] {
            if let Some(Ok(parsed)) = reminder::parse(&input, now, zone) {
                assert!(parsed.first > now);
                assert!(!parsed.text.is_empty());
                assert!(input.contains(parsed.text.as_str()));
                let schedule = parsed.schedule.to_schedule(now).expect("a schedule that builds");
                assert_eq!(schedule.next_after(now, 0), Some(parsed.first));
            }
        }
    }
});

//! Everything Herald says, in one place (English; the other languages join here).
//! Replies use Markdown that both the Emulator and Teams render: no tables.

use crate::domain::ports::{JobPage, LimitReached};
use crate::domain::trigger::{JobSummary, TriggerId};

/// The commands, as listed in the welcome and the hint.
pub const COMMANDS: &str = "- `run` or `run job` starts a new job\n\
     - `show` or `show jobs` lists the job log\n\
     - `done <id>` completes a job";

/// Names shown in a welcome; a channel may add hundreds of members at once.
const MAX_WELCOMED_NAMES: usize = 5;

pub fn welcome(names: &[&str]) -> String {
    let who = match names.len() {
        0 => String::new(),
        n if n <= MAX_WELCOMED_NAMES => format!(", {}", names.join(", ")),
        n => format!(
            ", {} and {} more",
            names[..MAX_WELCOMED_NAMES].join(", "),
            n - MAX_WELCOMED_NAMES
        ),
    };
    format!(
        "Welcome{who}! I'm Herald. I keep a job log and tell you when your jobs complete.\n\n{COMMANDS}"
    )
}

pub fn hint() -> String {
    format!("I didn't understand that. Here is what I can do:\n\n{COMMANDS}")
}

pub fn help() -> String {
    format!("Here is what I can do:\n\n{COMMANDS}")
}

pub fn text_too_long(limit: usize) -> String {
    format!("That message is too long for me (the limit is {limit} characters).")
}

pub fn job_started(id: TriggerId) -> String {
    format!("We're starting job {id} for you. We'll notify you when it's complete.")
}

pub fn job_limit_reached(limit: LimitReached) -> String {
    match limit {
        LimitReached::Conversation(n) => format!(
            "This conversation already has {n} open jobs, the most I keep. Complete some with `done <id>` first."
        ),
        LimitReached::User(n) => format!(
            "You already have {n} open jobs, the most I keep per person. Complete some with `done <id>` first."
        ),
    }
}

pub fn job_completed_here(id: TriggerId) -> String {
    format!("Job {id} completed. Notification sent to its conversation.")
}

pub fn job_already_completed(id: TriggerId) -> String {
    format!("Job {id} is already complete.")
}

pub fn no_such_job(id: &str) -> String {
    format!("There is no job {}.", shorten(id, 24))
}

pub fn job_id_needed() -> String {
    "Enter the job id after `done`, for example `done 3`.".to_owned()
}

pub fn job_event_needs_id() -> String {
    "A job completion event needs the job id as its value.".to_owned()
}

/// The proactive message to a job's own conversation.
pub fn job_completed_notification(id: i64) -> String {
    format!("Your queued job {id} just completed.")
}

/// Firings later than this say how late they are.
const NOTEWORTHY_LATENESS: chrono::Duration = chrono::Duration::minutes(1);

/// The proactive message of a fired timer or reminder. A late firing (Herald
/// was down) says when it was due and how late it is; one past the grace
/// period is worded as a missed reminder — always with its text.
pub fn trigger_fired(
    text: &str,
    due_at: chrono::DateTime<chrono::Utc>,
    fired_at: chrono::DateTime<chrono::Utc>,
    time_zone: Option<&str>,
    missed: bool,
) -> String {
    let text = match text.trim() {
        "" => "Reminder",
        text => text,
    };
    let late = fired_at - due_at;
    let zone = time_zone
        .and_then(|name| crate::domain::schedule::Zone::parse(name).ok())
        .unwrap_or_else(|| crate::domain::schedule::Zone::parse("UTC").expect("UTC is a zone"));
    let due = format!(
        "{} ({})",
        zone.local(due_at).format("%a %-d %b %Y %H:%M"),
        zone.name()
    );
    if missed {
        format!(
            "Missed reminder — due {due}, {} ago: {text}",
            human_duration(late)
        )
    } else if late >= NOTEWORTHY_LATENESS {
        format!(
            "⏰ {text}\n\n_Due {due}: this comes {} late, as Herald was not running then._",
            human_duration(late)
        )
    } else {
        format!("⏰ {text}")
    }
}

/// `2 d 3 h`, `1 h 5 min`, `12 min`, `40 s`: the two largest units.
fn human_duration(duration: chrono::Duration) -> String {
    let seconds = duration.num_seconds().max(0);
    let parts = [
        (seconds / 86_400, "d"),
        (seconds % 86_400 / 3_600, "h"),
        (seconds % 3_600 / 60, "min"),
        (seconds % 60, "s"),
    ];
    let shown: Vec<String> = parts
        .iter()
        .skip_while(|(amount, _)| *amount == 0)
        .take(2)
        .filter(|(amount, _)| *amount > 0)
        .map(|(amount, unit)| format!("{amount} {unit}"))
        .collect();
    if shown.is_empty() {
        "0 s".to_owned()
    } else {
        shown.join(" ")
    }
}

pub fn job_log_empty() -> String {
    "The job log is empty.".to_owned()
}

/// One page of the job log as a Markdown list, with the way to the next page.
pub fn job_log(page: &JobPage, page_number: u32, page_size: u32) -> String {
    if page.total == 0 {
        return job_log_empty();
    }
    let pages = page.total.div_ceil(u64::from(page_size.max(1)));
    if page.items.is_empty() {
        return format!("There is no page {page_number}: the job log has {pages} page(s).");
    }
    let jobs = if page.total == 1 { "job" } else { "jobs" };
    let mut text = format!("**Job log** ({} {jobs}", page.total);
    if pages > 1 {
        text.push_str(&format!(", page {page_number} of {pages}"));
    }
    text.push_str(")\n\n");
    for job in &page.items {
        text.push_str(&job_line(job));
        text.push('\n');
    }
    if u64::from(page_number) < pages {
        text.push_str(&format!(
            "\nSay `show {}` for the next page.",
            page_number + 1
        ));
    }
    text
}

fn job_line(job: &JobSummary) -> String {
    let status = if job.is_completed() {
        "completed"
    } else {
        "pending"
    };
    format!(
        "- Job **{}** · conversation `{}` · {status}",
        job.id,
        conversation_label(&job.conversation_id)
    )
}

/// The part of a conversation id people recognise (the Emulator appends
/// `|livechat`), shortened, with nothing that could break the Markdown.
fn conversation_label(conversation_id: &str) -> String {
    let head = conversation_id.split('|').next().unwrap_or(conversation_id);
    shorten(head, 40).replace('`', "'")
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(max_chars).collect();
        short.push('…');
        short
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::trigger::TriggerState;

    fn job(id: i64, state: TriggerState, conversation: &str) -> JobSummary {
        JobSummary {
            id: TriggerId::new(id).unwrap(),
            state,
            channel_id: "emulator".to_owned(),
            conversation_id: conversation.to_owned(),
            created_at: Utc::now(),
        }
    }

    #[test]
    fn the_job_log_is_a_list_with_ids_conversations_and_states() {
        let page = JobPage {
            items: vec![
                job(1, TriggerState::Active, "abc|livechat"),
                job(2, TriggerState::Completed, "def|livechat"),
            ],
            total: 2,
        };
        let text = job_log(&page, 1, 20);
        assert!(text.starts_with("**Job log** (2 jobs)"));
        assert!(text.contains("- Job **1** · conversation `abc` · pending"));
        assert!(text.contains("- Job **2** · conversation `def` · completed"));
        assert!(!text.contains('|'), "no Markdown table: {text}");
        assert!(!text.contains("next page"));
    }

    #[test]
    fn long_logs_point_to_the_next_page() {
        let page = JobPage {
            items: vec![job(21, TriggerState::Active, "c")],
            total: 45,
        };
        let text = job_log(&page, 2, 20);
        assert!(text.contains("page 2 of 3"));
        assert!(text.contains("Say `show 3` for the next page."));
    }

    #[test]
    fn hostile_conversation_ids_cannot_break_the_markdown() {
        let line = job_line(&job(
            1,
            TriggerState::Active,
            &format!("a`b{}", "x".repeat(100)),
        ));
        assert_eq!(line.matches('`').count(), 2);
        assert!(line.contains('…'));
    }

    fn at(text: &str) -> chrono::DateTime<Utc> {
        chrono::DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn a_fired_reminder_says_its_text_and_lateness_when_late() {
        let due = at("2026-12-24T18:00:00Z");
        assert_eq!(
            trigger_fired(
                "Stand-up",
                due,
                due + chrono::Duration::milliseconds(20),
                None,
                false
            ),
            "⏰ Stand-up"
        );
        let late = trigger_fired(
            "Stand-up",
            due,
            due + chrono::Duration::minutes(125),
            Some("Europe/Lisbon"),
            false,
        );
        assert!(late.starts_with("⏰ Stand-up"), "{late}");
        assert!(
            late.contains("Thu 24 Dec 2026 18:00 (Europe/Lisbon)"),
            "{late}"
        );
        assert!(late.contains("2 h 5 min late"), "{late}");
        let missed = trigger_fired(
            "Stand-up",
            due,
            due + chrono::Duration::days(3),
            Some("America/New_York"),
            true,
        );
        assert_eq!(
            missed,
            "Missed reminder — due Thu 24 Dec 2026 13:00 (America/New_York), 3 d ago: Stand-up"
        );
    }

    #[test]
    fn a_crowd_is_welcomed_briefly() {
        let names: Vec<String> = (0..500).map(|i| format!("member{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let text = welcome(&names);
        assert!(
            text.starts_with("Welcome, member0, member1, member2, member3, member4 and 495 more!")
        );
        assert!(text.len() < 400, "{text}");
    }

    #[test]
    fn huge_ids_are_shortened_in_replies() {
        let text = no_such_job(&"9".repeat(40));
        assert!(text.len() < 60, "{text}");
    }
}

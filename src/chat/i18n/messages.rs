//! Which Fluent message each `Say` is, and its arguments: whatever a person
//! typed or a source sent is escaped here (`plain`, `in_code`, `shorten`)
//! before Fluent sees it; ids, counts and Herald's own phrases go as they are.

use fluent_bundle::FluentValue;

use super::catalog::Fluent;
use super::{Catalog, MAX_WELCOMED_NAMES, Say, in_code, plain, plain_list, shorten};
use crate::domain::ports::LimitReached;
use crate::domain::reminder::Refusal;

impl Fluent {
    /// An optional piece of a line (` · set by Ana`), or nothing.
    fn piece(&self, id: &str, name: &'static str, value: Option<String>) -> String {
        value.map_or(String::new(), |v| self.text(id, &[(name, v.into())]))
    }

    /// `job-limit-user`, `reminder-limit-conversation`…
    pub(super) fn limit(&self, what: &str, reached: LimitReached) -> String {
        let (scope, limit) = match reached {
            LimitReached::User(limit) => ("user", limit),
            LimitReached::Conversation(limit) => ("conversation", limit),
        };
        self.text(&format!("{what}-limit-{scope}"), &[("limit", limit.into())])
    }

    pub(super) fn message(&self, what: Say<'_>) -> String {
        let id = |id: String| -> FluentValue<'static> { id.into() };
        match what {
            Say::Welcome { names } => {
                let who = match names.len() {
                    0 => String::new(),
                    n => {
                        let shown = n.min(MAX_WELCOMED_NAMES);
                        let args = [
                            ("names", plain_list(&names[..shown]).into()),
                            ("more", (n - shown).into()),
                        ];
                        self.text("welcome-who", &args)
                    }
                };
                self.text("welcome", &[("who", who.into())])
            }
            Say::Help => self.text("help", &[]),
            Say::Greeting => self.text("greeting", &[]),
            Say::Hint => self.text("hint", &[]),
            Say::TextTooLong { limit } => self.text("text-too-long", &[("limit", limit.into())]),
            Say::FilesReceived { names } => {
                let args = [
                    ("count", names.len().into()),
                    ("names", plain_list(names).into()),
                ];
                self.text("files-received", &args)
            }
            Say::JobStarted(n) => self.text("job-started", &[("id", id(n.to_string()))]),
            Say::JobLimit(reached) => self.limit("job", reached),
            Say::JobCompletedHere(n) => {
                self.text("job-completed-here", &[("id", id(n.to_string()))])
            }
            Say::JobAlreadyCompleted(n) => {
                self.text("job-already-completed", &[("id", id(n.to_string()))])
            }
            Say::NoSuchJob(n) => self.text("no-such-job", &[("id", plain(&shorten(n, 24)).into())]),
            Say::JobIdNeeded => self.text("job-id-needed", &[]),
            Say::JobEventNeedsId => self.text("job-event-needs-id", &[]),
            Say::JobCompletedNotice(n) => {
                self.text("job-completed-notice", &[("id", id(n.to_string()))])
            }
            Say::JobLog { page, number, size } => self.job_log(page, number, size),
            Say::Fired { text, late, missed } => {
                let text = if text.trim().is_empty() {
                    self.text("fired-untitled", &[])
                } else {
                    plain(text)
                };
                match late {
                    Some((due, late)) => {
                        let args = [
                            ("text", text.into()),
                            ("due", due.into()),
                            ("late", self.duration(late).into()),
                        ];
                        let id = if missed { "fired-missed" } else { "fired-late" };
                        self.text(id, &args)
                    }
                    None => self.text("fired", &[("text", text.into())]),
                }
            }
            Say::SnoozeButton { minutes } => {
                self.text("snooze-button", &[("minutes", minutes.into())])
            }
            Say::DoneButton => self.text("done-button", &[]),
            Say::ReminderSet { when, zone, text } => {
                let args = [
                    ("when", when.into()),
                    ("zone", zone.into()),
                    ("text", plain(text).into()),
                ];
                self.text("reminder-set", &args)
            }
            Say::ReminderRefused {
                misspelt: Some((typed, meant)),
                ..
            } => {
                let args = [
                    ("typed", plain(&shorten(typed, 30)).into()),
                    ("meant", plain(meant).into()),
                ];
                self.text("refused-misspelt", &args)
            }
            Say::ReminderRefused {
                refusal,
                misspelt: None,
            } => self.text(
                match refusal {
                    Refusal::Past => "refused-past",
                    Refusal::Date => "refused-date",
                    Refusal::Text => "refused-text",
                    Refusal::Far => "refused-far",
                    Refusal::When => "refused-when",
                },
                &[],
            ),
            Say::OtherReading { when } => self.text("other-reading", &[("when", when.into())]),
            Say::OtherReadingButton { when } => {
                self.text("other-reading-button", &[("when", when.into())])
            }
            Say::ReminderNoTime { asked, task } => {
                let task = shorten(task, 60);
                let args = [
                    ("task", plain(&task).into()),
                    ("asked", in_code(asked).into()),
                    ("code", in_code(&task).into()),
                ];
                self.text("reminder-no-time", &args)
            }
            Say::RepeatTooOften { min } => {
                self.text("repeat-too-often", &[("min", self.duration(min).into())])
            }
            Say::ReminderTextTooLong { limit } => {
                self.text("reminder-text-too-long", &[("limit", limit.into())])
            }
            Say::ReminderLimit(reached) => self.limit("reminder", reached),
            Say::NoReminders => self.text("no-reminders", &[]),
            Say::Reminders { count, shown } if shown < count => self.text(
                "reminders-some",
                &[("count", count.into()), ("shown", shown.into())],
            ),
            Say::Reminders { count, .. } => self.text("reminders", &[("count", count.into())]),
            Say::ReminderLine {
                id: n,
                when,
                text,
                owner,
                paused,
            } => {
                let paused = if paused {
                    self.text("reminder-line-paused", &[])
                } else {
                    String::new()
                };
                let args = [
                    ("id", id(n.to_string())),
                    ("when", when.into()),
                    ("paused", paused.into()),
                    (
                        "owner",
                        self.piece("line-owner", "owner", owner.map(plain)).into(),
                    ),
                    ("text", plain(&shorten(text, 80)).into()),
                ];
                self.text("reminder-line", &args)
            }
            Say::NoSuchReminder { id: n } => {
                self.text("no-such-reminder", &[("id", plain(&shorten(n, 24)).into())])
            }
            Say::ReminderIdNeeded { example } => self.text(
                "reminder-id-needed",
                &[("example", in_code(example).into())],
            ),
            Say::NotYours { id: n, owner } => self.text(
                "not-yours",
                &[("id", id(n.to_string())), ("owner", plain(owner).into())],
            ),
            Say::Cancelled { id: n } => self.text("cancelled", &[("id", id(n.to_string()))]),
            Say::Paused { id: n } => self.text("paused", &[("id", id(n.to_string()))]),
            Say::Resumed { id: n, next } => self.text(
                "resumed",
                &[("id", id(n.to_string())), ("next", next.into())],
            ),
            Say::Unchanged { id: n, state } => self.text(
                "unchanged",
                &[("id", id(n.to_string())), ("state", state.into())],
            ),
            Say::CannotChange { id: n } => self.text("cannot-change", &[("id", id(n.to_string()))]),
            Say::Snoozed { id: n, when } => self.text(
                "snoozed",
                &[("id", id(n.to_string())), ("when", when.into())],
            ),
            Say::SnoozeNeedsDuration => self.text("snooze-needs-duration", &[]),
            Say::Edited { id: n, when } => self.text(
                "edited",
                &[("id", id(n.to_string())), ("when", when.into())],
            ),
            Say::EditNeedsTime => self.text("edit-needs-time", &[]),
            Say::Acknowledged { next: Some(next) } => {
                self.text("acknowledged-next", &[("next", next.into())])
            }
            Say::Acknowledged { next: None } => self.text("acknowledged", &[]),
            Say::PriceAlert { .. }
            | Say::SourceStalled { .. }
            | Say::SourceRecovered { .. }
            | Say::SymbolUnpriced { .. }
            | Say::SymbolPricedAgain { .. }
            | Say::WatchSet { .. }
            | Say::WatchRefused { .. }
            | Say::NoWatches
            | Say::Watches { .. }
            | Say::WatchLine { .. }
            | Say::NoSuchWatch { .. }
            | Say::NotYourWatch { .. }
            | Say::Unwatched { .. }
            | Say::WatchLimit { .. } => self.price_message(what),
            _ => self.setting_message(what),
        }
    }
}

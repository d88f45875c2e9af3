//! The one catalog: every `Catalog` method, for any language, formats the
//! messages of that language's Fluent file. Only what is the same in every
//! language is Rust here: which message a case needs, splitting a duration
//! into parts, the job log's layout and escaping what people typed.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Timelike, Weekday};
use fluent_bundle::{FluentArgs, FluentValue};

use super::{Catalog, Say, bundle, clock, duration_parts, shorten};
use crate::domain::language::Language;
use crate::domain::ports::JobPage;
use crate::domain::price::{FetchError, Rule};
use crate::domain::reminder::pattern::{Pattern, Until};
use crate::domain::reminder::{Clock, Nth};
use crate::domain::trigger::TriggerState;

/// One language's messages.
pub struct Fluent {
    pub(super) language: Language,
}

/// A message's arguments, by name.
pub(super) type Args<'a> = [(&'static str, FluentValue<'a>)];

impl Fluent {
    /// The message `id` with its arguments (escaped by the caller).
    pub(super) fn text(&self, id: &str, args: &Args<'_>) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        bundle::format(self.language, id, &fluent)
    }

    /// Items joined with `, ` and, before the last, the message `and`.
    pub(super) fn join(&self, items: &[String], and: &str) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} {} {last}", init.join(", "), self.text(and, &[])),
        }
    }

    fn at(&self, hour: u32, time: String) -> String {
        self.text("at-time", &[("time", time.into()), ("hour", hour.into())])
    }

    fn at_clock(&self, at: Clock) -> String {
        let hour = at.hour % 24;
        self.at(hour, format!("{hour:02}:{:02}", at.minute))
    }

    fn days(&self, days: &[Weekday], id: &str, and: &str) -> String {
        let names: Vec<String> = days
            .iter()
            .map(|d| self.text(id, &[("day", key(*d).into())]))
            .collect();
        self.join(&names, and)
    }

    pub(super) fn job_log(&self, page: &JobPage, number: u32, size: u32) -> String {
        if page.total == 0 {
            return self.text("job-log-empty", &[]);
        }
        let pages = page.total.div_ceil(u64::from(size.max(1)));
        let at = [("number", number.into()), ("pages", pages.into())];
        if page.items.is_empty() {
            return self.text("job-log-no-page", &at);
        }
        let title = self.text("job-log-title", &[]);
        let count = self.text("job-log-count", &[("count", page.total.into())]);
        let mut text = format!("**{title}** ({count}");
        if pages > 1 {
            text.push_str(", ");
            text.push_str(&self.text("job-log-page", &at));
        }
        text.push_str(")\n\n");
        for job in &page.items {
            let label = conversation_label(&job.conversation_id);
            let done = if job.is_completed() { "yes" } else { "no" };
            let args = [
                ("id", job.id.to_string().into()),
                ("label", label.into()),
                ("done", done.into()),
            ];
            text.push_str(&self.text("job-log-line", &args));
            text.push('\n');
        }
        if u64::from(number) < pages {
            text.push('\n');
            let next = [("number", (number + 1).into())];
            text.push_str(&self.text("job-log-next-page", &next));
        }
        text
    }
}

/// Monday to Friday, said as one (`every weekday`).
pub(super) const WORKWEEK: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// A weekday's key in the files: `mon` … `sun`.
fn key(day: Weekday) -> &'static str {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][day.num_days_from_monday() as usize]
}

fn conversation_label(conversation_id: &str) -> String {
    let head = conversation_id.split('|').next().unwrap_or(conversation_id);
    shorten(head, 40).replace('`', "'")
}

impl Catalog for Fluent {
    fn say(&self, what: Say<'_>) -> String {
        self.message(what)
    }

    fn weekday(&self, day: Weekday) -> String {
        self.text("weekday", &[("day", key(day).into())])
    }

    fn month(&self, month: u32) -> String {
        self.text("month", &[("month", month.clamp(1, 12).into())])
    }

    fn date(&self, date: NaiveDate, today: NaiveDate) -> String {
        let year = if date.year() == today.year() {
            String::new()
        } else {
            self.text("date-year", &[("year", date.year().to_string().into())])
        };
        let args = [
            ("days", (date - today).num_days().into()),
            ("weekday", self.weekday(date.weekday()).into()),
            ("day", date.day().into()),
            ("month", self.month(date.month()).into()),
            ("year", year.into()),
        ];
        self.text("date", &args)
    }

    fn moment(&self, at: NaiveDateTime, today: NaiveDate) -> String {
        let date = at.date();
        let args = [
            ("days", (date - today).num_days().into()),
            ("date", self.date(date, today).into()),
            ("at", self.at(at.hour(), clock(at)).into()),
            ("wday", key(date.weekday()).into()),
        ];
        self.text("moment", &args)
    }

    fn repetition(&self, pattern: &Pattern) -> String {
        let weekly = |days: &[Weekday], at: Clock| {
            let at = self.at_clock(at);
            if days == WORKWEEK {
                return self.text("repeat-workweek", &[("at", at.into())]);
            }
            if days == [Weekday::Sat, Weekday::Sun] {
                return self.text("repeat-weekend", &[("at", at.into())]);
            }
            let weekend = days
                .iter()
                .all(|d| matches!(d, Weekday::Sat | Weekday::Sun));
            let args = [
                (
                    "days",
                    self.days(days, "weekday-repeated", "list-and").into(),
                ),
                ("at", at.into()),
                ("weekend", if weekend { "yes" } else { "no" }.into()),
            ];
            self.text("repeat-weekly", &args)
        };
        match pattern {
            Pattern::Once(_) => String::new(),
            Pattern::Interval(seconds) => {
                let args = [
                    ("seconds", (*seconds).into()),
                    (
                        "duration",
                        self.duration(Duration::seconds(*seconds)).into(),
                    ),
                ];
                self.text("repeat-interval", &args)
            }
            Pattern::Daily(at) => self.text("repeat-daily", &[("at", self.at_clock(*at).into())]),
            Pattern::Weekly(days, at) => weekly(days, *at),
            Pattern::WeeksApart(weeks, days, at) => {
                let args = [
                    ("weeks", (*weeks).into()),
                    ("days", self.days(days, "weekday", "list-and-weeks").into()),
                    ("at", self.at_clock(*at).into()),
                    ("weekly", weekly(days, *at).into()),
                    ("count", days.len().into()),
                ];
                self.text("repeat-weeks-apart", &args)
            }
            Pattern::Monthly(day, at) => {
                let args = [("day", (*day).into()), ("at", self.at_clock(*at).into())];
                self.text("repeat-monthly", &args)
            }
            Pattern::MonthlyWeekday(nth, day, at) => {
                let nth = match nth {
                    Nth::Last => 0,
                    Nth::Ordinal(n) => *n,
                };
                let args = [
                    ("nth", nth.into()),
                    ("weekday", self.weekday(*day).into()),
                    ("wday", key(*day).into()),
                    ("at", self.at_clock(*at).into()),
                ];
                self.text("repeat-monthly-weekday", &args)
            }
            Pattern::Cron(expression) => {
                self.text("repeat-cron", &[("expression", expression.as_str().into())])
            }
        }
    }

    fn ending(&self, until: Until, today: NaiveDate, local_until: Option<NaiveDateTime>) -> String {
        match (until, local_until) {
            (Until::Count(n), _) => self.text("ending-count", &[("count", n.into())]),
            (Until::Instant(_), Some(at)) => {
                let date = self.date(at.date(), today);
                self.text("ending-until", &[("date", date.into())])
            }
            _ => String::new(),
        }
    }

    fn duration(&self, duration: Duration) -> String {
        const UNITS: [&str; 4] = [
            "duration-days",
            "duration-hours",
            "duration-minutes",
            "duration-seconds",
        ];
        let parts = duration_parts(duration);
        if parts.is_empty() {
            return self.text("duration-seconds", &[("count", 0.into())]);
        }
        parts
            .iter()
            .map(|(n, unit)| self.text(UNITS[*unit], &[("count", (*n).into())]))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn starting(&self, moment: &str) -> String {
        self.text("starting", &[("moment", moment.into())])
    }

    fn state(&self, state: TriggerState) -> String {
        let key = match state {
            TriggerState::Active => "active",
            TriggerState::Paused => "paused",
            TriggerState::Completed => "completed",
            TriggerState::Cancelled => "cancelled",
            TriggerState::Failed => "failed",
        };
        self.text("state", &[("state", key.into())])
    }

    fn rule(&self, rule: &Rule, currency: Option<&str>) -> String {
        let price = |id, price| self.text(id, &[("price", super::amount(price, currency).into())]);
        let percent = |id, p| self.text(id, &[("percent", super::percent(p).into())]);
        match rule {
            Rule::Below { price: p } => price("rule-below", p),
            Rule::Above { price: p } => price("rule-above", p),
            Rule::Drops { percent: p } => percent("rule-drops", p),
            Rule::Rises { percent: p } => percent("rule-rises", p),
            Rule::Changes { percent: p } => percent("rule-changes", p),
            Rule::NewLow => self.text("rule-new-low", &[]),
        }
    }

    fn problem(&self, problem: &FetchError) -> String {
        let detail = |id, detail: &str| self.text(id, &[("detail", detail.into())]);
        match problem {
            FetchError::Status(status) => {
                self.text("problem-status", &[("status", (*status).into())])
            }
            FetchError::Throttled => self.text("problem-throttled", &[]),
            FetchError::Timeout => self.text("problem-timeout", &[]),
            FetchError::Unreachable(d) => detail("problem-unreachable", d),
            FetchError::TooLarge(bytes) => {
                self.text("problem-too-large", &[("bytes", (*bytes).into())])
            }
            FetchError::NotJson => self.text("problem-not-json", &[]),
            FetchError::NoPrice(pointer) => {
                self.text("problem-no-price", &[("pointer", pointer.as_str().into())])
            }
            FetchError::BadPrice(d) => detail("problem-bad-price", d),
            FetchError::Forbidden(d) => detail("problem-forbidden", d),
            FetchError::Waiting => self.text("problem-waiting", &[]),
            FetchError::PushOnly => self.text("problem-push-only", &[]),
        }
    }
}

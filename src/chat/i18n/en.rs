//! English.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};

use super::{
    Catalog, JobLogWords, MAX_WELCOMED_NAMES, Say, WatchProblem, ZoneSource, amount, clock,
    duration_parts, in_code, job_log, join_with, percent, plain, plain_list, shorten,
};
use crate::domain::ports::LimitReached;
use crate::domain::price::{FetchError, Rule};
use crate::domain::reminder::Refusal;
use crate::domain::reminder::pattern::{Pattern, Until};
use crate::domain::reminder::{Clock, Nth};
use crate::domain::trigger::TriggerState;

pub struct English;

const COMMANDS: &str = "- `remind me tomorrow at 9am to call Ana`, `remind me in 10 minutes to stretch`, \
`remind me every weekday at 9:00 to stand up`\n\
- `reminders` lists them; `cancel <id>`, `pause <id>`, `resume <id>`, `snooze <id> 15m`, `edit <id> at 10:00`\n\
- `watch bitcoin below 30000 usd`, `alert me when AAPL drops 20%`, `watch shop sku-123 above 200 repeat`; `watches` lists them, `unwatch <id>` stops one\n\
- `timezone Europe/Lisbon`, `language pt`, `quiet 22:00-07:00` (or `quiet off`)\n\
- `run` starts a job, `show` lists the job log, `done <id>` completes a job\n\
- `forget me` deletes what I keep about you";

fn hhmm(clock: Clock) -> String {
    format!("{:02}:{:02}", clock.hour % 24, clock.minute)
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

impl Catalog for English {
    fn weekday(&self, day: Weekday) -> &'static str {
        match day {
            Weekday::Mon => "Monday",
            Weekday::Tue => "Tuesday",
            Weekday::Wed => "Wednesday",
            Weekday::Thu => "Thursday",
            Weekday::Fri => "Friday",
            Weekday::Sat => "Saturday",
            Weekday::Sun => "Sunday",
        }
    }

    fn month(&self, month: u32) -> &'static str {
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ][(month.clamp(1, 12) - 1) as usize]
    }

    fn date(&self, date: NaiveDate, today: NaiveDate) -> String {
        let days = (date - today).num_days();
        match days {
            0 => "today".to_owned(),
            1 => "tomorrow".to_owned(),
            _ => {
                let mut text = format!(
                    "{} {} {}",
                    self.weekday(date.weekday()),
                    date.day(),
                    self.month(date.month())
                );
                if date.year() != today.year() {
                    text.push_str(&format!(" {}", date.year()));
                }
                text
            }
        }
    }

    fn moment(&self, at: NaiveDateTime, today: NaiveDate) -> String {
        let date = at.date();
        let on = if (date - today).num_days() > 1 {
            "on "
        } else {
            ""
        };
        format!("{on}{} at {}", self.date(date, today), clock(at))
    }

    fn repetition(&self, pattern: &Pattern) -> String {
        match pattern {
            Pattern::Once(_) => String::new(),
            Pattern::Interval(seconds) => match seconds {
                60 => "every minute".to_owned(),
                3600 => "every hour".to_owned(),
                86_400 => "every day".to_owned(),
                604_800 => "every week".to_owned(),
                s => format!("every {}", self.duration(Duration::seconds(*s))),
            },
            Pattern::Daily(at) => format!("every day at {}", hhmm(*at)),
            Pattern::Weekly(days, at) => {
                let workweek = [
                    Weekday::Mon,
                    Weekday::Tue,
                    Weekday::Wed,
                    Weekday::Thu,
                    Weekday::Fri,
                ];
                if days.as_slice() == workweek {
                    return format!("every weekday at {}", hhmm(*at));
                }
                if days.as_slice() == [Weekday::Sat, Weekday::Sun] {
                    return format!("every weekend day at {}", hhmm(*at));
                }
                let names: Vec<String> = days.iter().map(|d| self.weekday(*d).to_owned()).collect();
                format!("every {} at {}", join_with(&names, "and"), hhmm(*at))
            }
            Pattern::WeeksApart(weeks, days, at) => {
                let names: Vec<String> = days.iter().map(|d| self.weekday(*d).to_owned()).collect();
                let days = join_with(&names, "and");
                if *weeks == 2 {
                    format!("every other {days} at {}", hhmm(*at))
                } else {
                    format!("every {weeks} weeks on {days} at {}", hhmm(*at))
                }
            }
            Pattern::Monthly(day, at) => {
                format!("every month on the {} at {}", ordinal(*day), hhmm(*at))
            }
            Pattern::MonthlyWeekday(nth, day, at) => {
                let which = match nth {
                    Nth::Last => "last".to_owned(),
                    Nth::Ordinal(1) => "first".to_owned(),
                    Nth::Ordinal(2) => "second".to_owned(),
                    Nth::Ordinal(3) => "third".to_owned(),
                    Nth::Ordinal(4) => "fourth".to_owned(),
                    Nth::Ordinal(n) => ordinal(*n),
                };
                format!(
                    "every {which} {} of the month at {}",
                    self.weekday(*day),
                    hhmm(*at)
                )
            }
            Pattern::Cron(expression) => format!("on the schedule `{expression}`"),
        }
    }

    fn ending(&self, until: Until, today: NaiveDate, local_until: Option<NaiveDateTime>) -> String {
        match (until, local_until) {
            (Until::Count(1), _) => ", once".to_owned(),
            (Until::Count(n), _) => format!(", {n} times"),
            (Until::Instant(_), Some(at)) => format!(", until {}", self.date(at.date(), today)),
            _ => String::new(),
        }
    }

    fn duration(&self, duration: Duration) -> String {
        let parts = duration_parts(duration);
        if parts.is_empty() {
            return "0 s".to_owned();
        }
        parts
            .iter()
            .map(|(n, unit)| match unit {
                0 if *n == 1 => "1 day".to_owned(),
                0 => format!("{n} days"),
                1 => format!("{n} h"),
                2 => format!("{n} min"),
                _ => format!("{n} s"),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn starting(&self, moment: &str) -> String {
        format!(", next {moment}")
    }

    fn state(&self, state: TriggerState) -> String {
        match state {
            TriggerState::Active => "active",
            TriggerState::Paused => "paused",
            TriggerState::Completed => "completed",
            TriggerState::Cancelled => "cancelled",
            TriggerState::Failed => "failed",
        }
        .to_owned()
    }

    fn rule(&self, rule: &Rule, currency: Option<&str>) -> String {
        match rule {
            Rule::Below { price } => format!("goes below {}", amount(price, currency)),
            Rule::Above { price } => format!("goes above {}", amount(price, currency)),
            Rule::Drops { percent: p } => format!("drops {}%", percent(p)),
            Rule::Rises { percent: p } => format!("rises {}%", percent(p)),
            Rule::Changes { percent: p } => format!("changes by {}%", percent(p)),
            Rule::NewLow => "hits a new low".to_owned(),
        }
    }

    fn problem(&self, problem: &FetchError) -> String {
        // The log's words are English ones already.
        problem.to_string()
    }

    fn say(&self, what: Say<'_>) -> String {
        match what {
            Say::Welcome { names } => {
                let who = match names.len() {
                    0 => String::new(),
                    n if n <= MAX_WELCOMED_NAMES => format!(", {}", plain_list(names)),
                    n => format!(
                        ", {} and {} more",
                        plain_list(&names[..MAX_WELCOMED_NAMES]),
                        n - MAX_WELCOMED_NAMES
                    ),
                };
                format!(
                    "Welcome{who}! I'm Herald. I remind you of things, keep a job log and tell you when your jobs complete.\n\n{COMMANDS}"
                )
            }
            Say::Help => format!("Here is what I can do:\n\n{COMMANDS}"),
            Say::Greeting => "Hello! What can I do for you? `help` lists what I can do.".to_owned(),
            Say::Hint => format!("I didn't understand that. Here is what I can do:\n\n{COMMANDS}"),
            Say::TextTooLong { limit } => {
                format!("That message is too long for me (the limit is {limit} characters).")
            }
            Say::FilesReceived { names: [one] } => format!("I received your file {}.", plain(one)),
            Say::FilesReceived { names } => format!(
                "I received your {} files: {}.",
                names.len(),
                plain_list(names)
            ),
            Say::JobStarted(id) => {
                format!("We're starting job {id} for you. We'll notify you when it's complete.")
            }
            Say::JobLimit(LimitReached::Conversation(n)) => format!(
                "This conversation already has {n} open jobs, the most I keep. Complete some with `done <id>` first."
            ),
            Say::JobLimit(LimitReached::User(n)) => format!(
                "You already have {n} open jobs, the most I keep per person. Complete some with `done <id>` first."
            ),
            Say::JobCompletedHere(id) => {
                format!("Job {id} completed. Notification sent to its conversation.")
            }
            Say::JobAlreadyCompleted(id) => format!("Job {id} is already complete."),
            Say::NoSuchJob(id) => format!("There is no job {}.", plain(&shorten(id, 24))),
            Say::JobIdNeeded => "Enter the job id after `done`, for example `done 3`.".to_owned(),
            Say::JobEventNeedsId => {
                "A job completion event needs the job id as its value.".to_owned()
            }
            Say::JobCompletedNotice(id) => format!("Your queued job {id} just completed."),
            Say::JobLog { page, number, size } => job_log(
                page,
                number,
                size,
                &JobLogWords {
                    empty: "The job log is empty.",
                    title: "Job log",
                    job: "job",
                    jobs: "jobs",
                    page_of: |n, of| format!("page {n} of {of}"),
                    no_page: |n, of| format!("There is no page {n}: the job log has {of} page(s)."),
                    next_page: |n| format!("Say `show {n}` for the next page."),
                    line: |id, label, done| {
                        let status = if done { "completed" } else { "pending" };
                        format!("- Job **{id}** · conversation `{label}` · {status}")
                    },
                },
            ),
            Say::Fired { text, late, missed } => {
                let text = if text.trim().is_empty() {
                    "Reminder".to_owned()
                } else {
                    plain(text)
                };
                match late {
                    Some((due, late)) if missed => format!(
                        "Missed reminder — due {due}, {} ago: {text}",
                        self.duration(late)
                    ),
                    Some((due, late)) => format!(
                        "⏰ {text}\n\n_Due {due}: this comes {} late, as Herald was not running then._",
                        self.duration(late)
                    ),
                    None => format!("⏰ {text}"),
                }
            }
            Say::SnoozeButton { minutes: 60 } => "Snooze 1 hour".to_owned(),
            Say::SnoozeButton { minutes } => format!("Snooze {minutes} min"),
            Say::DoneButton => "Done".to_owned(),
            Say::ReminderSet { when, zone, text } => {
                format!("I'll remind you {when} ({zone}): {}", plain(text))
            }
            Say::ReminderRefused { refusal, misspelt } => {
                let example = "Try for example `remind me tomorrow at 9am to call Ana`, `remind me in 10 minutes to stretch` or `remind me every monday at 10:00 to plan the week`.";
                match (refusal, misspelt) {
                    (_, Some((typed, meant))) => format!(
                        "I didn't understand \"{}\" — did you mean \"{meant}\"? I haven't set anything. {example}",
                        plain(&shorten(typed, 30))
                    ),
                    (Refusal::Past, _) => format!(
                        "That time has already passed, so I haven't set anything. Give me a time still ahead, such as `tomorrow at 9:00`. {example}"
                    ),
                    (Refusal::Date, _) => format!(
                        "There is no such date or time (check the day, the month and the hour), so I haven't set anything. {example}"
                    ),
                    (Refusal::Text, _) => "What should I remind you of? Add it after the time, for example `remind me tomorrow at 9am to call Ana`.".to_owned(),
                    (Refusal::Far, _) => format!(
                        "That is more than ten years ahead, further than I keep reminders. {example}"
                    ),
                    (Refusal::When, _) => format!("I didn't understand when. {example}"),
                }
            }
            Say::OtherReading { when } => {
                format!("If you meant {when}, press the button and I'll move it.")
            }
            Say::OtherReadingButton { when } => format!("Make it {when}"),
            Say::ReminderNoTime { asked, task } => format!(
                "I understood the task \"{}\" but not when, so I haven't set anything. Add a time, for example `{} {} tomorrow at 9am`.",
                plain(&shorten(task, 60)),
                in_code(asked),
                in_code(&shorten(task, 60)),
            ),
            Say::RepeatTooOften { min } => format!(
                "There must be at least {} between two reminders, so I haven't set anything. For example `remind me every weekday at 9:00 to stand up`.",
                self.duration(min)
            ),
            Say::ReminderTextTooLong { limit } => format!(
                "A reminder can say at most {limit} characters; make it shorter, for example `remind me tomorrow at 9am to call Ana`."
            ),
            Say::ReminderLimit {
                per_user: true,
                limit,
            } => format!(
                "You already have {limit} reminders, the most I keep per person. Cancel some with `cancel <id>` first."
            ),
            Say::ReminderLimit {
                per_user: false,
                limit,
            } => format!(
                "This conversation already has {limit} reminders, the most I keep. Cancel some with `cancel <id>` first."
            ),
            Say::NoReminders => {
                "There are no reminders here. Set one with `remind me tomorrow at 9am to call Ana`."
                    .to_owned()
            }
            Say::Reminders { count, shown } if shown < count => {
                format!("**Reminders** ({count}, the next {shown} shown)")
            }
            Say::Reminders { count: 1, .. } => "**Reminders** (1)".to_owned(),
            Say::Reminders { count, .. } => format!("**Reminders** ({count})"),
            Say::ReminderLine {
                id,
                when,
                text,
                owner,
                paused,
            } => {
                let state = if paused { " · _paused_" } else { "" };
                let owner =
                    owner.map_or(String::new(), |name| format!(" · set by {}", plain(name)));
                format!(
                    "- **{id}** · {when}{state}{owner} · {}",
                    plain(&shorten(text, 80))
                )
            }
            Say::NoSuchReminder { id } => {
                format!(
                    "There is no reminder {} here. Say `reminders` to see them.",
                    plain(&shorten(id, 24))
                )
            }
            Say::ReminderIdNeeded { example } => {
                format!(
                    "Which reminder? Give its number, for example `{example}`. Say `reminders` to see them."
                )
            }
            Say::NotYours { id, owner } => {
                format!(
                    "Reminder {id} belongs to {}; only they can change it.",
                    plain(owner)
                )
            }
            Say::Cancelled { id } => format!("Reminder {id} is cancelled."),
            Say::Paused { id } => format!("Reminder {id} is paused. Say `resume {id}` to go on."),
            Say::Resumed { id, next } => format!("Reminder {id} is on again; next {next}."),
            Say::Unchanged { id, state } => format!("Reminder {id} is already {state}."),
            Say::CannotChange { id } => {
                format!(
                    "Reminder {id} has ended; there is nothing to change. Set a new one instead."
                )
            }
            Say::Snoozed { id, when } => format!("I'll remind you again {when} (reminder {id})."),
            Say::SnoozeNeedsDuration => {
                "How long? For example `snooze 3 15m` or `snooze 3 1h`.".to_owned()
            }
            Say::Edited { id, when } => format!("Reminder {id} now comes {when}."),
            Say::EditNeedsTime => {
                "When should it come? For example `edit 3 at 10:00` or `edit 3 tomorrow at 9am`."
                    .to_owned()
            }
            Say::Acknowledged { next: Some(next) } => format!("👍 Next time: {next}."),
            Say::Acknowledged { next: None } => "👍".to_owned(),
            Say::PriceAlert {
                symbol,
                source,
                price,
                rule,
                change,
                base,
                sparkline,
            } => {
                let mut text = format!(
                    "🔔 **{}** ({}) is at {price}: you asked to hear when it {rule}. Since the watch began: {change} (from {base}).",
                    plain(symbol),
                    plain(source)
                );
                if !sparkline.is_empty() {
                    text.push_str(&format!("\n\n{sparkline}"));
                }
                text
            }
            Say::SourceStalled {
                source,
                symbol,
                watch,
                reason,
            } => format!(
                "⚠️ I can't get prices from {} any more ({}), so your watch {watch} on {} is stalled. I'll tell you when it works again.",
                plain(source),
                plain(&shorten(reason, 120)),
                plain(symbol)
            ),
            Say::SourceRecovered {
                source,
                symbol,
                watch,
            } => format!(
                "✅ {} answers again: your watch {watch} on {} goes on.",
                plain(source),
                plain(symbol)
            ),
            Say::SymbolUnpriced {
                source,
                symbol,
                watch,
                reason,
            } => format!(
                "⚠️ {} no longer gives a price for {} ({}), so your watch {watch} is stalled. I'll tell you if a price comes back; `unwatch {watch}` removes it.",
                plain(source),
                plain(symbol),
                plain(&shorten(reason, 120))
            ),
            Say::SymbolPricedAgain {
                source,
                symbol,
                watch,
            } => format!(
                "✅ {} has a price for {} again: your watch {watch} goes on.",
                plain(source),
                plain(symbol)
            ),
            Say::WatchSet {
                id,
                symbol,
                source,
                rule,
                now,
            } => {
                let now = now.map_or(String::new(), |now| format!(" (now {now})"));
                format!(
                    "I'm watching {} ({}) for you: I'll tell you when it {rule}{now}. Say `unwatch {id}` to stop. (#{id})",
                    plain(symbol),
                    plain(source)
                )
            }
            Say::WatchRefused { problem } => {
                let example = "Try for example `watch bitcoin below 30000 usd`, `alert me when AAPL drops 20%` or `watch shop sku-123 above 200 repeat`.";
                match problem {
                    WatchProblem::Unclear => format!("I didn't understand that watch. {example}"),
                    WatchProblem::UnknownSource { source, known: "" } => format!(
                        "I don't know the price source \"{}\": none is configured, and no system has pushed its prices to me.",
                        plain(&shorten(source, 40))
                    ),
                    WatchProblem::UnknownSource { source, known } => format!(
                        "I don't know the price source \"{}\". I know: {}.",
                        plain(&shorten(source, 40)),
                        plain(known)
                    ),
                    WatchProblem::NoPrice {
                        source,
                        symbol,
                        reason,
                    } => format!(
                        "{} gave me no price for \"{}\" ({}), so I haven't set the watch.",
                        plain(source),
                        plain(&shorten(symbol, 40)),
                        plain(&shorten(reason, 120))
                    ),
                    WatchProblem::NeedsBase { source, symbol } => format!(
                        "No price of {} has come from {} yet, so a change in percent has nothing to start from. Give one, for example `watch {} {} drops 20% from 100`.",
                        plain(symbol),
                        plain(source),
                        plain(source),
                        plain(symbol)
                    ),
                }
            }
            Say::NoWatches => {
                "There are no price watches here. Set one with `watch bitcoin below 30000 usd`."
                    .to_owned()
            }
            Say::Watches { count } => format!("**Price watches** ({count})"),
            Say::WatchLine {
                id,
                symbol,
                source,
                rule,
                last,
                stalled,
                owner,
            } => {
                let last = last.map_or(String::new(), |p| format!(" · last {p}"));
                let stalled = if stalled { " · _stalled_" } else { "" };
                let owner =
                    owner.map_or(String::new(), |name| format!(" · set by {}", plain(name)));
                format!(
                    "- **{id}** · {} ({}) {rule}{last}{stalled}{owner}",
                    plain(symbol),
                    plain(source)
                )
            }
            Say::NoSuchWatch { id } => format!(
                "There is no price watch {} here. Say `watches` to see them.",
                plain(&shorten(id, 24))
            ),
            Say::NotYourWatch { id, owner } => format!(
                "Watch {id} belongs to {}; only they can stop it.",
                plain(owner)
            ),
            Say::Unwatched { id } => format!("Watch {id} is stopped."),
            Say::WatchLimit {
                per_user: true,
                limit,
            } => format!(
                "You already have {limit} price watches, the most I keep per person. Stop some with `unwatch <id>` first."
            ),
            Say::WatchLimit {
                per_user: false,
                limit,
            } => format!(
                "This conversation already has {limit} price watches, the most I keep. Stop some with `unwatch <id>` first."
            ),
            Say::TimezoneSet { zone } => {
                format!("Your time zone is now {zone}. I'll read and show times in it.")
            }
            Say::TimezoneIs { zone, source } => {
                let from = match source {
                    ZoneSource::Setting => "you set it",
                    ZoneSource::Channel => "from your app; set your own with `timezone Area/City`",
                    ZoneSource::Default => "my default; set yours with `timezone Area/City`",
                };
                format!("Your time zone is {zone} ({from}).")
            }
            Say::TimezoneUnknown { typed, suggestions } => {
                let mut text = format!(
                    "I don't know the time zone \"{}\". Use a name such as `Europe/Lisbon` or `America/Sao_Paulo`.",
                    plain(&shorten(typed, 40))
                );
                if !suggestions.is_empty() {
                    text.push_str(&format!(
                        " Did you mean {}?",
                        suggestions
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                text
            }
            Say::LanguageSet => "From now on I'll speak English with you.".to_owned(),
            Say::LanguageUnknown { typed } => format!(
                "I don't speak \"{}\". I speak English (`language en`), Portuguese (`language pt`, `language pt-PT`) and French (`language fr`).",
                plain(&shorten(typed, 20))
            ),
            Say::QuietSet { from, to } => format!(
                "Quiet hours set: {from}–{to}. Job notifications and price alerts that come due then wait until {to}; reminders still come at the time you chose."
            ),
            Say::QuietOff => "Quiet hours are off.".to_owned(),
            Say::QuietInvalid => {
                "Give quiet hours as `quiet 22:00-07:00`, or `quiet off`.".to_owned()
            }
            Say::OffsetMismatch {
                offset,
                zone,
                suggestions,
            } => {
                let mut text = format!(
                    "Note: your device says UTC{offset}, but I'm reading your times in {zone}."
                );
                if !suggestions.is_empty() {
                    text.push_str(&format!(
                        " If that's not where you are, say for example {}.",
                        suggestions
                            .iter()
                            .map(|s| format!("`timezone {s}`"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ));
                }
                text
            }
        }
    }
}

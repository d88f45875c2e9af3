//! Reminders said in chat, in English, Portuguese or French: `remind me
//! tomorrow at 9am to call Ana`, `me lembre amanhã às 9h de ligar para a Ana`,
//! `rappelle-moi demain à 9h d'appeler Ana`, `remind me to stretch every 2
//! hours`. No crate parses dates in these languages, so this is Herald's own
//! small grammar, its words in `languages/` (one data file a language):
//! `tokens` reads the words, `intent` the asking words, `when`
//! the time phrase, `split` where it stands, `resolve` places it in the
//! user's zone and `readings` keeps the other reading of a phrase that reads
//! two ways, `task` the task a refusal quotes; this module ties them
//! together and takes the text around them.
//! Imports run one way, down: `terms` (the shared types) under `languages`
//! under `tokens` under `when` under `split`, `resolve` and `readings`.
//! `corpus/` holds the phrasings it is tested against.

/// The corpus's file format, shared by the corpus test and the benchmark.
#[doc(hidden)]
pub mod corpus_file;
mod intent;
pub(in crate::domain) mod languages;
pub mod pattern;
mod readings;
mod resolve;
mod slips;
mod split;
mod task;
mod terms;
mod tokens;
mod unasked;
mod when;

#[cfg(test)]
mod corpus;
#[cfg(test)]
mod properties;

use chrono::{DateTime, Utc};

use super::schedule::{ScheduleSpec, Zone};
pub use languages::fold;
use languages::{Role, lexicon};
pub use resolve::Resolved;
pub use terms::{Nth, Part, Refusal, Spoken};
use tokens::{Token, skip_marks};
pub use when::{Clock, Day, Ending, Half, Repeat, TimeDefaults, When};
use when::{Found, Reading};

/// A reminder understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// What to say when it fires, as typed.
    pub text: String,
    /// The time phrase as said (for echoing it back).
    pub when: When,
    /// The trigger engine's schedule.
    pub schedule: ScheduleSpec,
    /// The first firing.
    pub first: DateTime<Utc>,
    pub spoken: Spoken,
    /// The other reading of a phrase that reads two ways (`at 7`, `next
    /// friday` on a Wednesday, `03/04`), to offer as a button.
    pub other: Option<Resolved>,
}

/// A refusal, with the misspelt word when one was the trouble.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub refusal: Refusal,
    pub spoken: Spoken,
    /// `("tomorow", "tomorrow")`.
    pub misspelt: Option<(String, &'static str)>,
    /// When no time was understood, the task that was, for a reply that
    /// says so and an example in the user's own words.
    pub task: Option<Task>,
}

/// A task understood without its time: `remind me to call mom`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// The message up to the task, as typed (`remind me to`).
    pub asked: String,
    /// The task, as typed (`call mom`).
    pub text: String,
}

/// Reads a chat message as a reminder: `None` if it does not ask for one.
pub fn parse(
    text: &str,
    now: DateTime<Utc>,
    zone: Zone,
    defaults: TimeDefaults,
) -> Option<Result<Reminder, Refused>> {
    let mut tokens = tokens::tokenize(text);
    // `…, please` closes the asking, not the reminder.
    let closing = intent::closing_politeness(&tokens);
    let text_end = tokens.get(closing).map_or(text.len(), |token| token.start);
    tokens.truncate(closing);
    let asking = match asking(&tokens, defaults) {
        Some(asking) => asking,
        None => {
            // `to call mom tomorrow remind me at 5pm`: read again with the task
            // after the asking words, where the grammar looks for it.
            let task_first = intent::task_before_asking(&tokens);
            if let Some((task, asked, joined)) = task_first {
                let task = text[tokens[task].start..tokens[asked].start].trim_end();
                let moved = format!(
                    "{} {}",
                    &text[tokens[asked].start..text_end],
                    task.trim_end_matches(',')
                );
                // Only the task's own words may make the reminder's text. Without a
                // joining word before it, only a reminder set: a message that merely
                // ends in `remind me` may be about something else.
                let read = parse(&moved, now, zone, defaults).filter(|read| match read {
                    Ok(reminder) => task.contains(&reminder.text),
                    Err(_) => joined,
                });
                if read.is_some() {
                    return read;
                }
            }
            // `ugh I keep forgetting — remind me to …`: what came before
            // the request is its context.
            if let Some(at) = intent::request_after_a_sentence(text, &tokens) {
                return parse(&text[tokens[at].start..], now, zone, defaults);
            }
            if task_first.is_some() {
                return None;
            }
            // `tomorrow 9am to call the bank`: no asking words at all.
            Asking {
                asked: unasked::time_then_task(&tokens, defaults)?,
                time_first: None,
                ending_first: None,
            }
        }
    };
    let spoken = asking.asked.spoken;
    let refuse = |refusal, misspelt| Refused {
        refusal,
        spoken,
        misspelt,
        task: None,
    };
    let numeric = reading(spoken, defaults);
    let start = skip_marks(&tokens, asking.asked.end);
    let split = match asking.time_first {
        None => split::split(&tokens, start, numeric),
        Some(Ok(first)) => split::split_after(&tokens, first, start, numeric),
        Some(Err(refusal)) => Err(refusal),
    };
    // `until friday remind me every day at 9 …`: the end said first belongs
    // to the repetition said after the asking words, and to nothing else.
    let split = split.and_then(|mut split| match asking.ending_first {
        None => Ok(split),
        Some(ending) => {
            split.when = split.when.ended(ending).map_err(|_| Refusal::When)?;
            Ok(split)
        }
    });
    let split = match split {
        Ok(split) => split,
        Err(refusal) => {
            let misspelt = misspelling(&tokens, start, tokens.len(), spoken);
            let task = (refusal == Refusal::When && misspelt.is_none())
                .then(|| task::without_time(text, &tokens, start, text_end))
                .flatten();
            return Some(Err(Refused {
                task,
                ..refuse(refusal, misspelt)
            }));
        }
    };
    // A misspelt time word next to the time: the time was probably longer.
    if let Some(word) = split.neighbour.and_then(|at| tokens.get(at)) {
        if let Some(meant) = slips::misspelt_time_word(&word.norm, spoken) {
            let typed = text[word.start..word.end].to_owned();
            return Some(Err(refuse(Refusal::When, Some((typed, meant)))));
        }
    }
    let Some((first, last)) = split.text else {
        return Some(Err(refuse(Refusal::Text, None)));
    };
    // From the end of what came before the text to the start of what comes
    // after it: marks around its words (`**shout**`) are the text's own.
    let from = first
        .checked_sub(1)
        .map_or(tokens[first].start, |before| tokens[before].end);
    let to = tokens.get(last + 1).map_or(text_end, |after| after.start);
    // A question's or an exclamation's mark, and emoji closing the message,
    // are the asking's tone, not the reminder's; emoji before a time said
    // after the text (`call grandma 📞 on sunday`) are the text's. So are
    // not the commas and colons left between the text and a time said
    // around it (`remind me to call the bank, tomorrow, 9am`), nor a
    // closing full stop.
    let closes = to == text_end;
    let reminder_text = text[from..to]
        .trim_start_matches(|c: char| c.is_whitespace() || ",;:".contains(c))
        .trim_end_matches(|c: char| {
            c.is_whitespace() || "?？!！,;:.…".contains(c) || (closes && pictograph(c))
        })
        .to_owned();
    if reminder_text.is_empty() {
        return Some(Err(refuse(Refusal::Text, None)));
    }
    match readings::read(&split.when, spoken, now, zone, defaults.unsaid) {
        Ok(readings) => {
            let (when, resolved) = readings.best;
            Some(Ok(Reminder {
                text: reminder_text,
                when,
                schedule: resolved.schedule,
                first: resolved.first,
                spoken,
                other: readings.other,
            }))
        }
        Err(refusal) => Some(Err(refuse(refusal, None))),
    }
}

/// Emoji and pictographs (`🙂`, `🙏`, `⏰`, `✅`), with the joiners and
/// selectors that shape them; not currency or other signs (`50€`).
fn pictograph(c: char) -> bool {
    matches!(u32::from(c), 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0xFE0F | 0x200D)
}

/// Whether a message asks for a reminder (wherever its time stands).
pub fn starts_like_a_reminder(text: &str) -> bool {
    asking(&tokens::tokenize(text), TimeDefaults::default()).is_some()
}

/// Whether a message is a time, a joining word and a task with no asking
/// words (`tomorrow 9am to call the bank`): a request once no chat command
/// has claimed the message.
pub fn is_time_then_task(text: &str) -> bool {
    unasked::time_then_task(&tokens::tokenize(text), TimeDefaults::default()).is_some()
}

fn reading(spoken: Spoken, defaults: TimeDefaults) -> Reading {
    let language = lexicon().language(spoken);
    Reading {
        numeric_dates: language.numeric_dates,
        defaults,
        twelve_hour_digits: language.twelve_hour_digits,
    }
}

/// How the message asked, and the time said before the asking words.
struct Asking {
    asked: intent::Asked,
    /// `in 20 minutes remind me …`: the time that came first.
    time_first: Option<Result<When, Refusal>>,
    /// `until friday remind me every day …`: the end that came first.
    ending_first: Option<Ending>,
}

/// The asking words after the openers, or after a time phrase that opens
/// the message (`amanhã às 8h me lembra de …`, `ce soir, stp, rappelle-moi`).
fn asking(tokens: &[Token], defaults: TimeDefaults) -> Option<Asking> {
    let lead = intent::skip_openers(tokens, 0);
    if let Some(asked) = intent::asked_at(tokens, lead) {
        return Some(Asking {
            asked,
            time_first: None,
            ending_first: None,
        });
    }
    for at in lead + 1..tokens.len() {
        let Some(asked) = intent::asked_at(tokens, at) else {
            continue;
        };
        let reading = reading(asked.spoken, defaults);
        let time_first = match when::parse_opening(tokens, lead, reading) {
            Found::When(when, after) if intent::skip_openers(tokens, after) == at => Ok(when),
            Found::Invalid(refusal) => Err(refusal),
            _ => {
                let (ending, after) = when::ending(tokens, lead, reading)?;
                return (intent::skip_openers(tokens, after) == at).then_some(Asking {
                    asked,
                    time_first: None,
                    ending_first: Some(ending),
                });
            }
        };
        return Some(Asking {
            asked,
            time_first: Some(time_first),
            ending_first: None,
        });
    }
    None
}

/// A duration in words (`10 minutes`, `uma hora`, `1h30`), all of `text`.
pub fn parse_duration_words(text: &str) -> Option<chrono::Duration> {
    // Read as the duration after an `in` word (`in 10 minutes`).
    let lead = lexicon().words(Role::In).first()?;
    let mut tokens = tokens::tokenize(lead);
    tokens.extend(tokens::tokenize(text));
    let reading = reading(Spoken::English, TimeDefaults::default());
    match when::parse(&tokens, 0, reading) {
        Found::When(When::In(duration), end) if end == tokens.len() => Some(duration),
        _ => None,
    }
}

/// A time phrase alone (`at 10:00`, `amanhã às 9h`) as `edit` takes it; the
/// whole text must be the phrase.
pub fn parse_when(
    text: &str,
    now: DateTime<Utc>,
    zone: Zone,
    day_first: bool,
    defaults: TimeDefaults,
) -> Result<(When, ScheduleSpec, DateTime<Utc>), Refusal> {
    let tokens = tokens::tokenize(text);
    let spoken = lexicon().writing_dates(day_first);
    match when::parse_opening(&tokens, 0, reading(spoken, defaults)) {
        Found::When(when, end) if skip_marks(&tokens, end) == tokens.len() => {
            let (when, resolved) = readings::read(&when, spoken, now, zone, defaults.unsaid)?.best;
            Ok((when, resolved.schedule, resolved.first))
        }
        Found::Invalid(refusal) => Err(refusal),
        _ => Err(Refusal::When),
    }
}

/// The first misspelt time word in a range, for a refusal's hint.
fn misspelling(
    tokens: &[Token],
    from: usize,
    to: usize,
    spoken: Spoken,
) -> Option<(String, &'static str)> {
    tokens[from.min(to)..to].iter().find_map(|token| {
        slips::misspelt_time_word(&token.norm, spoken).map(|meant| (token.norm.clone(), meant))
    })
}

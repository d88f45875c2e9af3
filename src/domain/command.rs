//! The chat command grammar of the job log: text in, a `Command` out.

use super::language::Language;
use super::trigger::TriggerId;

/// What a chat message asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `run`, `run job`: start a job.
    Run,
    /// `show`, `show jobs`, optionally with a page number (`show 2`, `show jobs page 2`).
    Show { page: u32 },
    /// `done <id>`.
    Done(JobRef),
    /// `help`, `?`.
    Help,
    /// `forget me` (`esqueça-me`, `oublie-moi` …): asks to delete what Herald keeps about the user.
    ForgetMe(Language),
    /// Anything else.
    Unrecognised,
}

/// The id part of `done <id>`, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobRef {
    /// A number that can name a job.
    Id(TriggerId),
    /// All digits, but no job can have it (zero, or beyond 64 bits). Kept for the reply.
    OutOfRange(String),
    /// Nothing, or something that is not a number.
    Missing,
}

impl JobRef {
    /// Reads a job id as sent in chat or in an event's `value` text.
    pub fn parse(text: &str) -> Self {
        let digits = text.trim().trim_start_matches('#');
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Self::Missing;
        }
        match digits.parse::<i64>().ok().and_then(TriggerId::new) {
            Some(id) => Self::Id(id),
            None => Self::OutOfRange(digits.to_owned()),
        }
    }
}

impl Command {
    /// Parses one message. Case, surrounding space and a trailing full stop or
    /// exclamation mark do not matter.
    pub fn parse(text: &str) -> Self {
        let lowered = text.trim().trim_end_matches(['.', '!']).to_lowercase();
        let words: Vec<&str> = lowered.split_whitespace().collect();
        match words.as_slice() {
            ["run"] | ["run", "job"] => Self::Run,
            ["show"] | ["show", "jobs"] => Self::Show { page: 1 },
            ["show", rest @ ..] => match parse_page(rest) {
                Some(page) => Self::Show { page },
                None => Self::Unrecognised,
            },
            ["done"] => Self::Done(JobRef::Missing),
            ["done", id] => Self::Done(JobRef::parse(id)),
            ["done", ..] => Self::Done(JobRef::Missing),
            ["help"] | ["?"] => Self::Help,
            ["forget", "me"] => Self::ForgetMe(Language::English),
            ["esqueça-me" | "esquece-me" | "esqueca-me"] | ["me", "esqueça" | "esqueca"] => {
                Self::ForgetMe(Language::BrazilianPortuguese)
            }
            ["oublie-moi" | "oubliez-moi"] => Self::ForgetMe(Language::French),
            _ => Self::Unrecognised,
        }
    }
}

/// `2`, `page 2`, after `show` or `show jobs`.
fn parse_page(words: &[&str]) -> Option<u32> {
    let number = match words {
        ["jobs", "page", n] | ["jobs", n] | ["page", n] | [n] => n,
        _ => return None,
    };
    number.parse::<u32>().ok().filter(|page| *page >= 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: i64) -> JobRef {
        JobRef::Id(TriggerId::new(n).unwrap())
    }

    #[test]
    fn the_seed_commands_parse() {
        assert_eq!(Command::parse("run"), Command::Run);
        assert_eq!(Command::parse("  Run Job "), Command::Run);
        assert_eq!(Command::parse("show"), Command::Show { page: 1 });
        assert_eq!(Command::parse("SHOW JOBS"), Command::Show { page: 1 });
        assert_eq!(Command::parse("done 12"), Command::Done(id(12)));
        assert_eq!(Command::parse("Done  #4."), Command::Done(id(4)));
        assert_eq!(Command::parse("help"), Command::Help);
    }

    #[test]
    fn show_takes_a_page() {
        assert_eq!(Command::parse("show 2"), Command::Show { page: 2 });
        assert_eq!(Command::parse("show jobs 3"), Command::Show { page: 3 });
        assert_eq!(
            Command::parse("show jobs page 4"),
            Command::Show { page: 4 }
        );
        assert_eq!(Command::parse("show page 5"), Command::Show { page: 5 });
        assert_eq!(Command::parse("show 0"), Command::Unrecognised);
        assert_eq!(Command::parse("show me everything"), Command::Unrecognised);
        assert_eq!(
            Command::parse("show 99999999999999999999"),
            Command::Unrecognised
        );
    }

    #[test]
    fn done_without_a_usable_id_asks_for_one() {
        assert_eq!(Command::parse("done"), Command::Done(JobRef::Missing));
        assert_eq!(Command::parse("done abc"), Command::Done(JobRef::Missing));
        assert_eq!(Command::parse("done 1 2"), Command::Done(JobRef::Missing));
        assert_eq!(Command::parse("done -3"), Command::Done(JobRef::Missing));
    }

    #[test]
    fn done_with_a_number_no_job_can_have_is_kept_for_the_reply() {
        let forty = "1234567890123456789012345678901234567890";
        assert_eq!(
            Command::parse(&format!("done {forty}")),
            Command::Done(JobRef::OutOfRange(forty.to_owned()))
        );
        assert_eq!(
            Command::parse("done 0"),
            Command::Done(JobRef::OutOfRange("0".to_owned()))
        );
    }

    #[test]
    fn anything_else_is_unrecognised() {
        for text in ["", "   ", "hello", "running", "run jobs now", "showjobs"] {
            assert_eq!(Command::parse(text), Command::Unrecognised, "{text:?}");
        }
    }

    #[test]
    fn forget_me_is_understood_in_three_languages() {
        assert_eq!(
            Command::parse("Forget me"),
            Command::ForgetMe(Language::English)
        );
        assert_eq!(
            Command::parse("esqueça-me"),
            Command::ForgetMe(Language::BrazilianPortuguese)
        );
        assert_eq!(
            Command::parse("Me esqueça!"),
            Command::ForgetMe(Language::BrazilianPortuguese)
        );
        assert_eq!(
            Command::parse("oublie-moi"),
            Command::ForgetMe(Language::French)
        );
        assert_eq!(Command::parse("forget me not"), Command::Unrecognised);
        assert_eq!(
            Language::from_tag("pt-BR"),
            Some(Language::BrazilianPortuguese)
        );
        assert_eq!(Language::from_tag("de-DE"), None);
    }

    #[test]
    fn event_values_parse_as_job_refs() {
        assert_eq!(JobRef::parse(" 17 "), id(17));
        assert_eq!(JobRef::parse("x17"), JobRef::Missing);
        assert_eq!(JobRef::parse(""), JobRef::Missing);
    }
}

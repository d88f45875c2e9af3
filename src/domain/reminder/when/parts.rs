//! Parts of the day: `tomorrow morning`, `friday evening`, `tonight at 8`,
//! `sábado de manhã`, `sexta à tarde`, `hoje à noite às 22h`, `demain
//! après-midi`, `lundi soir`, `every evening`. A part alone stands for its
//! time (`TimeDefaults`); with a clock time it says which half of the day
//! the time is in (`tonight at 8` is 20:00).

use super::{Clock, Parser, Part, Step};
use crate::domain::reminder::languages::{Role, lexicon};

/// The times that parts of the day and an unsaid time stand for. The same in
/// every language; settings (`reminders.*`) may change them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeDefaults {
    pub early_morning: Clock,
    pub morning: Clock,
    pub afternoon: Clock,
    pub evening: Clock,
    /// `tonight`, `at night`, `ce soir`, `hoje à noite`.
    pub night: Clock,
    /// A day or a repetition said without a time (`tomorrow`, `every monday`).
    pub unsaid: Clock,
    /// `in a few minutes`, `daqui a uns minutos`, `dans quelques minutes`.
    pub few_minutes: u32,
    /// `end of day`, `eod`, `no fim do dia`, `en fin de journée`.
    pub end_of_day: Clock,
}

impl Default for TimeDefaults {
    fn default() -> Self {
        let at = |hour| Clock::new(hour, 0);
        Self {
            early_morning: at(7),
            morning: at(9),
            afternoon: at(15),
            evening: at(19),
            night: at(20),
            unsaid: at(9),
            few_minutes: 5,
            end_of_day: at(17),
        }
    }
}

impl TimeDefaults {
    pub fn of(&self, part: Part) -> Clock {
        match part {
            Part::EarlyMorning => self.early_morning,
            Part::Morning => self.morning,
            Part::Afternoon => self.afternoon,
            Part::Evening => self.evening,
            Part::Night => self.night,
        }
    }
}

/// A part of the day as a phrase says it, and whether it also said the day
/// is today (`this morning`, `tonight`, `ce soir`, `esta noite`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartSaid {
    pub part: Part,
    pub today: bool,
}

impl Parser<'_> {
    /// A part of the day. `bare`: whether the part word may stand alone
    /// (after a day, `friday evening`, or after `every`); elsewhere it needs
    /// a lead-in (`in the evening`, `à tarde`) or `this`.
    pub(super) fn part_phrase(&mut self, bare: bool) -> Step<PartSaid> {
        // `ce soir` is tonight, though `soir` alone is the evening.
        if self.eat_role(Role::Tonight) {
            return Ok(Some(PartSaid {
                part: Part::Night,
                today: true,
            }));
        }
        if self.is(0, Role::ThisPart) {
            if let Some(part) = lexicon().part_of_day(self.word(1)) {
                self.at += 2;
                return Ok(Some(PartSaid { part, today: true }));
            }
            return Ok(None);
        }
        // `early in the morning`, `tôt le matin`, `cedo de manhã`.
        if self.is(0, Role::EarlyBefore) {
            let start = self.at;
            self.at += 1;
            if let Some(said) = self.part_phrase(true)? {
                if said.part == Part::Morning {
                    return Ok(Some(PartSaid {
                        part: Part::EarlyMorning,
                        ..said
                    }));
                }
            }
            self.at = start;
        }
        // After a day, the early word alone: `amanhã cedo`.
        if bare && self.eat_role(Role::EarlyAfter) {
            return Ok(Some(PartSaid {
                part: Part::EarlyMorning,
                today: false,
            }));
        }
        if self.is(0, Role::EarlyBefore) {
            return Ok(None);
        }
        let lead = self.said(0, Role::PartLeads).unwrap_or(0);
        if lead == 0 && !bare {
            return Ok(None);
        }
        let Some(part) = lexicon().part_of_day(self.word(lead)) else {
            return Ok(None);
        };
        self.at += lead + 1;
        // `de manhã cedo`.
        if part == Part::Morning && self.eat_role(Role::EarlyAfter) {
            return Ok(Some(PartSaid {
                part: Part::EarlyMorning,
                today: false,
            }));
        }
        Ok(Some(PartSaid { part, today: false }))
    }

    /// The time a clock and a part say together: the part's own time when
    /// no clock was said, else the clock in that half of the day.
    pub(super) fn with_part(&self, clock: Option<Clock>, part: Option<Part>) -> Option<Clock> {
        match (clock, part) {
            (clock, None) => clock,
            (None, Some(part)) => Some(self.defaults.of(part)),
            (Some(clock), Some(part)) => Some(in_part(clock, part)),
        }
    }
}

/// `8` in the evening is 20:00, `2` in the afternoon 14:00; a time already
/// past noon (`20:00`, `8pm`) or in the morning stays.
fn in_part(clock: Clock, part: Part) -> Clock {
    let afternoon_or_later = matches!(part, Part::Afternoon | Part::Evening | Part::Night);
    if afternoon_or_later && (1..12).contains(&clock.hour) {
        // `tonight at 1` is 01:00: a small hour at night stays small.
        if part == Part::Night && clock.hour < 5 {
            return Clock::new(clock.hour, clock.minute);
        }
        return Clock::new(clock.hour + 12, clock.minute);
    }
    // Its part of the day said, a time reads one way.
    Clock::new(clock.hour, clock.minute)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::domain::reminder::parse;
    use crate::domain::schedule::Zone;

    fn first(text: &str, defaults: TimeDefaults) -> DateTime<Utc> {
        let now = DateTime::parse_from_rfc3339("2026-11-20T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let zone = Zone::parse("Europe/Lisbon").unwrap();
        parse(text, now, zone, defaults).unwrap().unwrap().first
    }

    #[test]
    fn parts_of_the_day_stand_for_the_times_set() {
        let early = TimeDefaults {
            early_morning: Clock::new(6, 30),
            evening: Clock::new(18, 30),
            unsaid: Clock::new(8, 0),
            ..TimeDefaults::default()
        };
        for (text, default, set) in [
            (
                "remind me friday evening to call",
                "2026-11-20T19:00:00Z",
                "2026-11-20T18:30:00Z",
            ),
            (
                "rappelle-moi chaque soir de lire",
                "2026-11-20T19:00:00Z",
                "2026-11-20T18:30:00Z",
            ),
            (
                "me lembra amanhã de ligar",
                "2026-11-21T09:00:00Z",
                "2026-11-21T08:00:00Z",
            ),
            (
                "me lembra amanhã de manhã cedo de correr",
                "2026-11-21T07:00:00Z",
                "2026-11-21T06:30:00Z",
            ),
        ] {
            assert_eq!(
                first(text, TimeDefaults::default()).to_rfc3339(),
                DateTime::parse_from_rfc3339(default).unwrap().to_rfc3339(),
                "{text}"
            );
            assert_eq!(
                first(text, early).to_rfc3339(),
                DateTime::parse_from_rfc3339(set).unwrap().to_rfc3339(),
                "{text}"
            );
        }
        // With a clock time the part only says which half of the day.
        assert_eq!(
            first("remind me tonight at 8 to call", early).to_rfc3339(),
            "2026-11-20T20:00:00+00:00"
        );
    }
}

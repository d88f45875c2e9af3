//! A person's settings in chat: `timezone Europe/Lisbon` (and `my timezone`),
//! `language pt`, `quiet 22:00-07:00` and `quiet off`, in any of the three
//! languages, stored with their record.

use chrono::{DateTime, Utc};

use super::i18n::Say;
use super::replies::Replies;
use super::speaker::{Speaker, Speakers};
use crate::domain::command::QuietSetting;
use crate::domain::language::Language;
use crate::domain::ports::StoreError;
use crate::domain::schedule::Zone;
use crate::domain::zone_hints;

pub(super) async fn timezone(
    speakers: &Speakers,
    speaker: &mut Speaker,
    typed: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Replies, StoreError> {
    let Some(typed) = typed else {
        return Ok(Replies::one(speaker.say(Say::TimezoneIs {
            zone: speaker.zone.name(),
            source: speaker.zone_source,
        })));
    };
    let zone = Zone::parse(typed).ok().or_else(|| {
        // `europe/lisbon`, `Lisbon`: one match is as good as the name.
        match zone_hints::zones_like(typed, 2).as_slice() {
            [only] => Zone::parse(only).ok(),
            _ => None,
        }
    });
    let Some(zone) = zone.filter(|_| speaker.known) else {
        let suggestions = zone_hints::zones_like(typed, 3);
        return Ok(Replies::one(speaker.say(Say::TimezoneUnknown {
            typed,
            suggestions: &suggestions,
        })));
    };
    speaker.user.time_zone = Some(zone.name().to_owned());
    speakers.save(speaker, now).await?;
    Ok(Replies::one(
        speaker.say(Say::TimezoneSet { zone: zone.name() }),
    ))
}

pub(super) async fn language(
    speakers: &Speakers,
    speaker: &mut Speaker,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Replies, StoreError> {
    let Some(language) = Language::from_setting(typed).filter(|_| speaker.known) else {
        return Ok(Replies::one(speaker.say(Say::LanguageUnknown { typed })));
    };
    speaker.user.language = Some(language.code().to_owned());
    speakers.save(speaker, now).await?;
    Ok(Replies::one(speaker.say(Say::LanguageSet)))
}

pub(super) async fn quiet(
    speakers: &Speakers,
    speaker: &mut Speaker,
    setting: QuietSetting,
    now: DateTime<Utc>,
) -> Result<Replies, StoreError> {
    let quiet = match setting {
        QuietSetting::Invalid => return Ok(Replies::one(speaker.say(Say::QuietInvalid))),
        _ if !speaker.known => return Ok(Replies::one(speaker.say(Say::QuietInvalid))),
        QuietSetting::Off => None,
        QuietSetting::Set(hours) => Some(hours),
    };
    speaker.user.quiet = quiet;
    speakers.save(speaker, now).await?;
    Ok(Replies::one(match quiet {
        None => speaker.say(Say::QuietOff),
        Some(hours) => {
            let (from, to) = hours.bounds();
            speaker.say(Say::QuietSet {
                from: &from,
                to: &to,
            })
        }
    }))
}

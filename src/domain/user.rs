//! A person Herald talks to, per channel: their settings and what their last
//! activity said of them. Which language and zone apply is decided here.

use chrono::{DateTime, Duration, NaiveTime, Timelike, Utc};

use super::language::Language;
use super::schedule::Zone;

/// Quiet hours, as minutes after local midnight; they may wrap past midnight
/// (`22:00-07:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: u16,
    pub end: u16,
}

impl QuietHours {
    /// Reads `22:00-07:00` (also `22h-7h`, `22:00–07:00`).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().replace(['–', '—'], "-");
        let (start, end) = text.split_once('-')?;
        let start = minutes(start)?;
        let end = minutes(end)?;
        (start != end).then_some(Self { start, end })
    }

    /// `22:00`, `07:00`.
    pub fn bounds(self) -> (String, String) {
        let show = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        (show(self.start), show(self.end))
    }

    /// While quiet at `now` in `zone`, the instant quiet hours end; else `None`.
    pub fn holds_until(self, now: DateTime<Utc>, zone: Zone) -> Option<DateTime<Utc>> {
        let local = zone.local(now);
        let minute = u16::try_from(local.hour() * 60 + local.minute()).unwrap_or(0);
        let quiet = if self.start < self.end {
            (self.start..self.end).contains(&minute)
        } else {
            minute >= self.start || minute < self.end
        };
        if !quiet {
            return None;
        }
        let end_time =
            NaiveTime::from_hms_opt(u32::from(self.end / 60), u32::from(self.end % 60), 0)?;
        let mut end = local.date().and_time(end_time);
        if end <= local {
            end += Duration::days(1);
        }
        Some(zone.resolve(end))
    }
}

fn minutes(text: &str) -> Option<u16> {
    let text = text.trim().to_ascii_lowercase();
    let (hour, minute) = match text.split_once([':', 'h']) {
        Some((hour, "")) => (hour.to_owned(), "0".to_owned()),
        Some((hour, minute)) => (hour.to_owned(), minute.to_owned()),
        None => (text.clone(), "0".to_owned()),
    };
    let hour: u16 = hour.parse().ok().filter(|h| *h <= 24)?;
    let minute: u16 = minute.parse().ok().filter(|m| *m < 60)?;
    if hour == 24 && minute > 0 {
        return None;
    }
    Some((hour % 24) * 60 + minute)
}

/// What Herald keeps about a person of a channel.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserRecord {
    pub channel_id: String,
    pub user_id: String,
    pub name: Option<String>,
    /// Their `timezone` setting.
    pub time_zone: Option<String>,
    /// Their `language` setting.
    pub language: Option<String>,
    /// From their last activity.
    pub locale: Option<String>,
    pub local_timezone: Option<String>,
    pub quiet: Option<QuietHours>,
    /// The device offset (minutes east of UTC) last warned about.
    pub warned_offset: Option<i32>,
}

impl UserRecord {
    pub fn new(channel_id: &str, user_id: &str) -> Self {
        Self {
            channel_id: channel_id.to_owned(),
            user_id: user_id.to_owned(),
            ..Self::default()
        }
    }

    /// Their setting, else their activities' locale, else `fallback` (the
    /// conversation's locale), else English.
    pub fn language(&self, fallback: Option<&str>) -> Language {
        self.language
            .as_deref()
            .and_then(Language::from_tag)
            .or_else(|| self.locale.as_deref().and_then(Language::from_tag))
            .or_else(|| fallback.and_then(Language::from_tag))
            .unwrap_or(Language::English)
    }

    /// Their setting, else their device's zone, else `default`.
    pub fn zone(&self, default: Zone) -> (Zone, ZoneOrigin) {
        if let Some(zone) = self.time_zone.as_deref().and_then(|z| Zone::parse(z).ok()) {
            return (zone, ZoneOrigin::Setting);
        }
        if let Some(zone) = self
            .local_timezone
            .as_deref()
            .and_then(|z| Zone::parse(z).ok())
        {
            return (zone, ZoneOrigin::Device);
        }
        (default, ZoneOrigin::Default)
    }
}

/// Where a person's zone came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneOrigin {
    Setting,
    Device,
    Default,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::instants::utc;

    #[test]
    fn quiet_hours_wrap_past_midnight() {
        let quiet = QuietHours::parse("22:00-07:00").unwrap();
        assert_eq!(quiet.bounds(), ("22:00".to_owned(), "07:00".to_owned()));
        let lisbon = Zone::parse("Europe/Lisbon").unwrap();
        assert_eq!(
            quiet.holds_until(utc("2026-11-20T23:30:00Z"), lisbon),
            Some(utc("2026-11-21T07:00:00Z"))
        );
        assert_eq!(
            quiet.holds_until(utc("2026-11-21T06:59:00Z"), lisbon),
            Some(utc("2026-11-21T07:00:00Z"))
        );
        assert_eq!(quiet.holds_until(utc("2026-11-21T07:00:00Z"), lisbon), None);
        assert_eq!(quiet.holds_until(utc("2026-11-21T12:00:00Z"), lisbon), None);
        let day = QuietHours::parse("13h-14h").unwrap();
        assert_eq!(
            day.holds_until(utc("2026-11-21T13:10:00Z"), lisbon),
            Some(utc("2026-11-21T14:00:00Z"))
        );
    }

    #[test]
    fn quiet_hours_refuse_nonsense() {
        for bad in [
            "",
            "22:00",
            "25:00-07:00",
            "22:00-07:60",
            "9-9",
            "a-b",
            "22:00-24:30",
        ] {
            assert_eq!(QuietHours::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_setting_wins_then_the_locale_then_english() {
        let mut user = UserRecord::new("msteams", "u1");
        assert_eq!(user.language(None), Language::English);
        assert_eq!(user.language(Some("fr-FR")), Language::French);
        user.locale = Some("pt-PT".into());
        assert_eq!(user.language(Some("fr-FR")), Language::EuropeanPortuguese);
        user.language = Some("en".into());
        assert_eq!(user.language(Some("fr-FR")), Language::English);
    }
}

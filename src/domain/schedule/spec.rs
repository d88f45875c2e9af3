//! A schedule as data: how the API accepts one and how the trigger table
//! stores one (`schedule_json`), with durations such as `90s`, `2h`, `1h30m`.
//!
//! ```json
//! {"at": "2026-12-24T18:00:00Z"}
//! {"every": "2h", "start": "2026-12-24T09:00:00Z", "count": 5}
//! {"cron": "0 9 * * MON-FRI", "timezone": "Europe/Lisbon", "until": "2027-01-31T00:00:00Z"}
//! ```

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{End, Recurrence, Schedule, ScheduleError, Weeks};

/// The longest interval accepted: a year.
const MAX_INTERVAL_SECONDS: i64 = 366 * 24 * 3600;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduleSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cron: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// With `cron`: only every that many weeks (2: every other week),
    /// counted from the week of `start` in `timezone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weeks: Option<u32>,
}

/// A spec that does not make a schedule, with the field to blame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct SpecError {
    pub field: &'static str,
    pub problem: String,
}

fn blame(field: &'static str, problem: impl Into<String>) -> SpecError {
    SpecError {
        field,
        problem: problem.into(),
    }
}

impl ScheduleSpec {
    /// Builds the schedule; an interval without `start` starts at `now`.
    pub fn to_schedule(&self, now: DateTime<Utc>) -> Result<Schedule, SpecError> {
        let end = End {
            until: self.until,
            count: self.count,
        };
        let kinds = [self.at.is_some(), self.every.is_some(), self.cron.is_some()];
        if kinds.iter().filter(|&&given| given).count() != 1 {
            return Err(blame(
                "schedule",
                "give exactly one of `at`, `every` or `cron`",
            ));
        }
        if let Some(at) = self.at {
            if self.start.is_some()
                || self.timezone.is_some()
                || self.until.is_some()
                || self.count.is_some()
                || self.weeks.is_some()
            {
                return Err(blame(
                    "schedule",
                    "`at` takes no `start`, `timezone`, `until`, `count` or `weeks`",
                ));
            }
            return Ok(Schedule::once(at));
        }
        let schedule = if let Some(every) = &self.every {
            if self.timezone.is_some() {
                return Err(blame("timezone", "only `cron` schedules take a time zone"));
            }
            if self.weeks.is_some() {
                return Err(blame("weeks", "only `cron` schedules take `weeks`"));
            }
            let every = parse_duration(every).map_err(|problem| blame("every", problem))?;
            Schedule::every(every, self.start.unwrap_or(now), end)
        } else {
            let expression = self.cron.as_deref().unwrap_or_default();
            let zone = self.timezone.as_deref().unwrap_or("UTC");
            match self.weeks {
                Some(every) => {
                    let start = self.start.unwrap_or(now);
                    Schedule::cron_every_weeks(expression, zone, Weeks { every, start }, end)
                }
                None if self.start.is_some() => {
                    return Err(blame(
                        "start",
                        "only `every` schedules, and `cron` with `weeks`, take a start",
                    ));
                }
                None => Schedule::cron(expression, zone, end),
            }
        };
        schedule.map_err(|error| match error {
            ScheduleError::UnknownZone(_) => blame("timezone", error.to_string()),
            ScheduleError::InvalidCron(_) => blame("cron", error.to_string()),
            ScheduleError::IntervalTooShort => blame("every", error.to_string()),
            ScheduleError::ZeroCount => blame("count", error.to_string()),
            ScheduleError::WeeksOutOfRange => blame("weeks", error.to_string()),
        })
    }
}

impl Schedule {
    /// The schedule as data, for storage; `to_schedule` reads it back.
    pub fn to_spec(&self) -> ScheduleSpec {
        let mut spec = ScheduleSpec {
            until: self.end.until,
            count: self.end.count,
            ..ScheduleSpec::default()
        };
        match &self.recurrence {
            Recurrence::Once { at } => spec.at = Some(*at),
            Recurrence::Every { every, start } => {
                spec.every = Some(format_duration(*every));
                spec.start = Some(*start);
            }
            Recurrence::Cron {
                expression,
                zone,
                weeks,
            } => {
                spec.cron = Some(expression.as_str().to_owned());
                spec.timezone = Some(zone.name().to_owned());
                if let Some(weeks) = weeks {
                    spec.weeks = Some(weeks.every);
                    spec.start = Some(weeks.start);
                }
            }
        }
        spec
    }
}

/// Reads `90s`, `15m`, `2h`, `1h30m`, `1d` (units d, h, m, s; each at most once, in that order).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim().to_ascii_lowercase();
    if text.is_empty() || text.len() > 32 {
        return Err("expected a duration such as 90s, 2h or 1h30m".to_owned());
    }
    let mut seconds: i64 = 0;
    let mut digits = String::new();
    let mut last_unit = usize::MAX;
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let (rank, unit) = match c {
            'd' => (0, 86_400),
            'h' => (1, 3_600),
            'm' => (2, 60),
            's' => (3, 1),
            _ => {
                return Err(format!(
                    "unexpected `{c}` in a duration (units: d, h, m, s)"
                ));
            }
        };
        if digits.is_empty() || (last_unit != usize::MAX && rank <= last_unit) {
            return Err("expected a duration such as 90s, 2h or 1h30m".to_owned());
        }
        let amount: i64 = digits
            .parse()
            .map_err(|_| "a duration that large is not accepted".to_owned())?;
        seconds = amount
            .checked_mul(unit)
            .and_then(|part| seconds.checked_add(part))
            .filter(|total| *total <= MAX_INTERVAL_SECONDS)
            .ok_or_else(|| "durations are at most a year".to_owned())?;
        digits.clear();
        last_unit = rank;
    }
    if !digits.is_empty() {
        return Err("a duration needs a unit (d, h, m or s)".to_owned());
    }
    Ok(Duration::seconds(seconds))
}

/// Writes a duration the way `parse_duration` reads it.
pub fn format_duration(duration: Duration) -> String {
    let mut left = duration.num_seconds().max(0);
    let mut out = String::new();
    for (unit, size) in [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)] {
        if left >= size {
            out.push_str(&format!("{}{unit}", left / size));
            left %= size;
        }
    }
    if out.is_empty() { "0s".to_owned() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::instants::utc;

    fn spec(json: &str) -> Result<ScheduleSpec, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn durations_read_and_write_alike() {
        assert_eq!(parse_duration("90s"), Ok(Duration::seconds(90)));
        assert_eq!(parse_duration("2h"), Ok(Duration::hours(2)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::minutes(90)));
        assert_eq!(parse_duration(" 1D "), Ok(Duration::days(1)));
        for bad in [
            "",
            "h",
            "30",
            "1m1h",
            "1h1h",
            "5x",
            "-5m",
            "99999999999999999999s",
            "400d",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
        for d in [
            Duration::seconds(90),
            Duration::minutes(90),
            Duration::days(2) + Duration::seconds(5),
        ] {
            assert_eq!(parse_duration(&format_duration(d)), Ok(d));
        }
    }

    #[test]
    fn the_three_forms_build_schedules() {
        let now = utc("2026-12-01T00:00:00Z");
        let once = spec(r#"{"at": "2026-12-24T18:00:00Z"}"#)
            .unwrap()
            .to_schedule(now)
            .unwrap();
        assert_eq!(once.next_after(now, 0), Some(utc("2026-12-24T18:00:00Z")));
        let every = spec(r#"{"every": "2h", "start": "2026-12-24T09:00:00Z", "count": 5}"#)
            .unwrap()
            .to_schedule(now)
            .unwrap();
        assert_eq!(every.end.count, Some(5));
        assert_eq!(
            every.next_after(utc("2026-12-24T09:30:00Z"), 1),
            Some(utc("2026-12-24T11:00:00Z"))
        );
        let cron = spec(r#"{"cron": "0 9 * * MON-FRI", "timezone": "Europe/Lisbon"}"#)
            .unwrap()
            .to_schedule(now)
            .unwrap();
        assert_eq!(cron.next_after(now, 0), Some(utc("2026-12-01T09:00:00Z")));
        let from_now = spec(r#"{"every": "90s"}"#)
            .unwrap()
            .to_schedule(now)
            .unwrap();
        assert_eq!(
            from_now.next_after(now, 0),
            Some(now + Duration::seconds(90))
        );
    }

    #[test]
    fn stored_schedules_read_back_the_same() {
        let now = utc("2026-12-01T00:00:00Z");
        for json in [
            r#"{"at": "2026-12-24T18:00:00Z"}"#,
            r#"{"every": "1h30m", "start": "2026-12-24T09:00:00Z", "until": "2027-01-01T00:00:00Z"}"#,
            r#"{"cron": "0  9 * * 5L", "timezone": "America/New_York", "count": 3}"#,
        ] {
            let schedule = spec(json).unwrap().to_schedule(now).unwrap();
            let stored = serde_json::to_string(&schedule.to_spec()).unwrap();
            assert_eq!(
                spec(&stored).unwrap().to_schedule(now).unwrap(),
                schedule,
                "{stored}"
            );
        }
    }

    #[test]
    fn bad_specs_name_the_field() {
        let now = utc("2026-12-01T00:00:00Z");
        let field = |json: &str| spec(json).unwrap().to_schedule(now).unwrap_err().field;
        assert_eq!(field(r#"{}"#), "schedule");
        assert_eq!(
            field(r#"{"at": "2026-12-24T18:00:00Z", "cron": "* * * * *"}"#),
            "schedule"
        );
        assert_eq!(field(r#"{"every": "soon"}"#), "every");
        assert_eq!(
            field(r#"{"every": "1s", "timezone": "Europe/Paris"}"#),
            "timezone"
        );
        assert_eq!(field(r#"{"cron": "99 * * * *"}"#), "cron");
        assert_eq!(
            field(r#"{"cron": "0 9 * * *", "timezone": "Nowhere/Land"}"#),
            "timezone"
        );
        assert_eq!(field(r#"{"cron": "0 9 * * *", "count": 0}"#), "count");
        assert_eq!(
            field(r#"{"cron": "0 9 * * *", "start": "2026-12-24T09:00:00Z"}"#),
            "start"
        );
        assert!(
            spec(r#"{"every": "1h", "colour": "red"}"#).is_err(),
            "unknown fields are refused"
        );
    }
}

//! Suggesting IANA zones: for a device's UTC offset (which is not a zone: it
//! changes at daylight saving), or for a misspelt zone name.

use chrono::{DateTime, Offset, TimeZone, Utc};
use chrono_tz::{TZ_VARIANTS, Tz};

/// Widely used zones, offered first when they match.
const MAJOR: &[&str] = &[
    "Europe/Lisbon",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Athens",
    "Europe/Moscow",
    "Atlantic/Azores",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/Toronto",
    "America/Montreal",
    "America/Bogota",
    "America/Argentina/Buenos_Aires",
    "America/Halifax",
    "America/Anchorage",
    "Pacific/Honolulu",
    "Africa/Luanda",
    "Africa/Maputo",
    "Africa/Lagos",
    "Africa/Dakar",
    "Africa/Johannesburg",
    "Africa/Cairo",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Singapore",
    "Asia/Macau",
    "Australia/Sydney",
    "Pacific/Auckland",
];

/// The offset (seconds east of UTC) of `zone` at `at`.
pub fn offset_at(zone: Tz, at: DateTime<Utc>) -> i32 {
    zone.offset_from_utc_datetime(&at.naive_utc())
        .fix()
        .local_minus_utc()
}

/// Up to `limit` zones whose offset at `at` is `offset` seconds: major ones
/// first, then others by name.
pub fn zones_with_offset(offset: i32, at: DateTime<Utc>, limit: usize) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = MAJOR
        .iter()
        .filter_map(|name| name.parse::<Tz>().ok().map(|tz| (*name, tz)))
        .filter(|(_, tz)| offset_at(*tz, at) == offset)
        .map(|(name, _)| name)
        .collect();
    if found.len() < limit {
        for tz in TZ_VARIANTS {
            let name = tz.name();
            if found.len() >= limit {
                break;
            }
            let canonical = name.contains('/') && !name.starts_with("Etc/");
            if canonical && !found.contains(&name) && offset_at(tz, at) == offset {
                found.push(name);
            }
        }
    }
    found.truncate(limit);
    found
}

/// Zone names close to what was typed (`europe/lisbon`, `Lisbon`, `Sao Paulo`).
pub fn zones_like(typed: &str, limit: usize) -> Vec<&'static str> {
    let wanted = normalise(typed);
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<&'static str> = TZ_VARIANTS
        .iter()
        .map(|tz| tz.name())
        .filter(|name| {
            let name = normalise(name);
            name == wanted || name.ends_with(&format!("/{wanted}"))
        })
        .collect();
    found.sort_by_key(|name| !MAJOR.contains(name));
    found.truncate(limit);
    found
}

fn normalise(text: &str) -> String {
    crate::domain::reminder::fold(text.trim()).replace([' ', '-'], "_")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::instants::utc;

    #[test]
    fn an_offset_suggests_major_zones_first() {
        let winter = utc("2026-11-20T10:00:00Z");
        let zero = zones_with_offset(0, winter, 3);
        assert_eq!(zero, ["Europe/Lisbon", "Europe/London", "Africa/Dakar"]);
        let brasilia = zones_with_offset(-3 * 3600, winter, 2);
        assert_eq!(brasilia[0], "America/Sao_Paulo");
        // In summer Lisbon is UTC+1, with Paris in winter.
        let summer = utc("2027-07-01T10:00:00Z");
        assert!(zones_with_offset(3600, summer, 3).contains(&"Europe/Lisbon"));
    }

    #[test]
    fn misspelt_names_find_their_zone() {
        assert_eq!(zones_like("europe/lisbon", 3), ["Europe/Lisbon"]);
        assert_eq!(zones_like("Sao Paulo", 3), ["America/Sao_Paulo"]);
        assert!(zones_like("Nowhere/Land", 3).is_empty());
    }
}

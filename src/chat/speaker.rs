//! Who is talking in a turn, and how to talk back: their record (settings,
//! name, locale, device zone), kept up to date from the activity; the language
//! to reply in; the zone to read and show times in; and, once, a note when the
//! device's UTC offset disagrees with that zone.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::i18n::{self, Catalog, Say, ZoneSource};
use super::people::PeopleCache;
use crate::botframework::inbound::InboundActivity;
use crate::domain::language::Language;
use crate::domain::person::PersonRef;
use crate::domain::ports::{PersonStore, StoreError};
use crate::domain::schedule::Zone;
use crate::domain::user::{UserRecord, ZoneOrigin};
use crate::domain::zone_hints;

/// Names, locales and zones longer than this from a channel are not kept.
const MAX_FIELD_CHARS: usize = 100;

pub struct Speaker {
    pub user: UserRecord,
    /// `false` for an activity without `from.id`: nothing is stored for it.
    pub known: bool,
    pub language: Language,
    pub zone: Zone,
    pub zone_source: ZoneSource,
}

impl Speaker {
    pub fn catalog(&self) -> &'static dyn Catalog {
        i18n::catalog(self.language)
    }

    pub fn say(&self, what: Say<'_>) -> String {
        self.catalog().say(what)
    }

    /// Who the activity is from — a person of its channel — as the owner of
    /// what they set.
    pub fn person(&self) -> Option<PersonRef<'_>> {
        self.known
            .then(|| PersonRef::new(&self.user.channel_id, &self.user.user_id))
    }

    /// Re-reads language and zone after a setting changed.
    pub fn refresh(&mut self, default_zone: Zone) {
        self.language = self.user.language(None);
        let (zone, origin) = self.user.zone(default_zone);
        self.zone = zone;
        self.zone_source = source(origin);
    }
}

fn source(origin: ZoneOrigin) -> ZoneSource {
    match origin {
        ZoneOrigin::Setting => ZoneSource::Setting,
        ZoneOrigin::Device => ZoneSource::Channel,
        ZoneOrigin::Default => ZoneSource::Default,
    }
}

fn bounded(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.chars().count() <= MAX_FIELD_CHARS)
        .map(str::to_owned)
}

/// People as a turn meets them: their records, read through a cache, kept
/// up to date from what their channel says of them.
pub(super) struct Speakers {
    /// Read once a minute at most.
    people: PeopleCache,
    store: Arc<dyn PersonStore>,
    /// The zone of people who set none and whose channel says none.
    default_zone: Zone,
}

impl Speakers {
    pub(super) fn new(store: Arc<dyn PersonStore>, default_zone: Zone) -> Self {
        Self {
            people: PeopleCache::new(chrono::Duration::minutes(1), 100_000),
            store,
            default_zone,
        }
    }

    /// Stores a setting the speaker changed and reads their language and zone again.
    pub(super) async fn save(
        &self,
        speaker: &mut Speaker,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.people
            .save(self.store.as_ref(), &speaker.user, now)
            .await?;
        speaker.refresh(self.default_zone);
        Ok(())
    }

    /// Forgets every cached record (someone asked to be forgotten).
    pub(super) fn clear(&self) {
        self.people.clear();
    }

    /// Loads the speaker's record and brings it up to date with the activity
    /// (written only when something changed).
    pub(super) async fn identify(
        &self,
        inbound: &InboundActivity,
        now: DateTime<Utc>,
    ) -> Result<Speaker, StoreError> {
        let activity = &inbound.activity;
        let from = activity.from.as_ref();
        let user_id = bounded(from.and_then(|f| f.id.as_deref()));
        let locale = bounded(activity.locale.as_deref());
        // Only a zone that exists is worth keeping.
        let device_zone =
            bounded(activity.local_timezone.as_deref()).filter(|zone| Zone::parse(zone).is_ok());
        let Some(user_id) = user_id else {
            let mut user = UserRecord::new(&inbound.channel_id, "");
            user.locale = locale;
            user.local_timezone = device_zone;
            let mut speaker = Speaker {
                user,
                known: false,
                language: Language::English,
                zone: self.default_zone,
                zone_source: ZoneSource::Default,
            };
            speaker.refresh(self.default_zone);
            return Ok(speaker);
        };
        let stored = self
            .people
            .get(self.store.as_ref(), &inbound.channel_id, &user_id, now)
            .await?;
        let mut user = stored
            .clone()
            .unwrap_or_else(|| UserRecord::new(&inbound.channel_id, &user_id));
        if let Some(name) = bounded(from.and_then(|f| f.name.as_deref())) {
            user.name = Some(name);
        }
        if locale.is_some() {
            user.locale = locale;
        }
        if device_zone.is_some() {
            user.local_timezone = device_zone;
        }
        if stored.as_ref() != Some(&user) {
            self.people.save(self.store.as_ref(), &user, now).await?;
        }
        let mut speaker = Speaker {
            user,
            known: true,
            language: Language::English,
            zone: self.default_zone,
            zone_source: ZoneSource::Default,
        };
        speaker.refresh(self.default_zone);
        Ok(speaker)
    }

    /// A note, said once per offset, when the device's UTC offset (from
    /// `localTimestamp`) is not the offset of the zone Herald reads times in.
    pub(super) async fn offset_note(
        &self,
        inbound: &InboundActivity,
        speaker: &mut Speaker,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, StoreError> {
        let Some(offset) = inbound
            .activity
            .extra
            .get("localTimestamp")
            .and_then(|v| v.as_str())
            .and_then(|stamp| DateTime::parse_from_rfc3339(stamp).ok())
            .map(|stamp| stamp.offset().local_minus_utc())
        else {
            return Ok(None);
        };
        let zone: chrono_tz::Tz = match speaker.zone.name().parse() {
            Ok(zone) => zone,
            Err(_) => return Ok(None),
        };
        let minutes = offset / 60;
        if zone_hints::offset_at(zone, now) == offset || speaker.user.warned_offset == Some(minutes)
        {
            return Ok(None);
        }
        if !speaker.known {
            return Ok(None);
        }
        speaker.user.warned_offset = Some(minutes);
        self.save(speaker, now).await?;
        let sign = if offset < 0 { '-' } else { '+' };
        let shown = format!(
            "{sign}{:02}:{:02}",
            offset.abs() / 3600,
            offset.abs() % 3600 / 60
        );
        let suggestions = zone_hints::zones_with_offset(offset, now, 2);
        Ok(Some(speaker.say(Say::OffsetMismatch {
            offset: &shown,
            zone: speaker.zone.name(),
            suggestions: &suggestions,
        })))
    }
}

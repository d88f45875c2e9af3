//! Checks an activity received from a channel before anything acts on it: the
//! fields every turn relies on are present, sane in size, and well formed.

use std::net::IpAddr;

use url::Url;

use super::activity::{Activity, ConversationReference};
use crate::domain::text::unfit_for_id;

/// Longest id Herald accepts from a channel. Teams' conversation ids are a few
/// hundred characters; anything far beyond is not a real channel's.
const MAX_ID_LEN: usize = 1024;
const MAX_SERVICE_URL_LEN: usize = 2048;
const MAX_CHANNEL_ID_LEN: usize = 64;
/// Locales (`pt-BR`) and IANA zone names (`America/Argentina/Buenos_Aires`) are short.
const MAX_TAG_LEN: usize = 64;

/// Why an activity was refused. `field` names the offending JSON field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct InvalidActivity {
    pub field: &'static str,
    pub problem: &'static str,
}

/// An activity whose routing fields are known to be present and well formed.
#[derive(Debug, Clone)]
pub struct InboundActivity {
    pub kind: String,
    pub channel_id: String,
    pub conversation_id: String,
    pub service_url: Url,
    pub activity: Activity,
}

impl InboundActivity {
    pub fn validate(activity: Activity) -> Result<Self, InvalidActivity> {
        let kind = required(activity.kind.as_deref(), "type", 64)?;
        let channel_id = required(
            activity.channel_id.as_deref(),
            "channelId",
            MAX_CHANNEL_ID_LEN,
        )?;
        let conversation_id = required(
            activity.conversation.as_ref().and_then(|c| c.id.as_deref()),
            "conversation.id",
            MAX_ID_LEN,
        )?;
        let raw_url = required(
            activity.service_url.as_deref(),
            "serviceUrl",
            MAX_SERVICE_URL_LEN,
        )?;
        let service_url = parse_service_url(&raw_url)?;
        let from = activity.from.as_ref();
        let recipient = activity.recipient.as_ref();
        let conversation = activity.conversation.as_ref();
        for (value, field) in [
            (activity.id.as_deref(), "id"),
            (from.and_then(|a| a.id.as_deref()), "from.id"),
            (
                from.and_then(|a| a.aad_object_id.as_deref()),
                "from.aadObjectId",
            ),
            (recipient.and_then(|a| a.id.as_deref()), "recipient.id"),
            (activity.reply_to_id.as_deref(), "replyToId"),
            (
                conversation.and_then(|c| c.tenant_id.as_deref()),
                "conversation.tenantId",
            ),
        ] {
            optional(value, field, MAX_ID_LEN)?;
        }
        // Stored with the conversation on every turn: keep them to their real size.
        for (value, field) in [
            (activity.locale.as_deref(), "locale"),
            (activity.local_timezone.as_deref(), "localTimezone"),
        ] {
            optional(value, field, MAX_TAG_LEN)?;
        }
        Ok(Self {
            kind,
            channel_id,
            conversation_id,
            service_url,
            activity,
        })
    }

    /// The reference the SDKs would store for this activity.
    pub fn conversation_reference(&self) -> ConversationReference {
        let activity = &self.activity;
        ConversationReference {
            activity_id: activity.id.clone(),
            user: activity.from.clone(),
            bot: activity.recipient.clone(),
            conversation: activity.conversation.clone().unwrap_or_default(),
            channel_id: self.channel_id.clone(),
            locale: activity.locale.clone(),
            service_url: self.service_url.as_str().trim_end_matches('/').to_owned(),
            extra: Default::default(),
        }
    }

    /// The tenant of the conversation: Teams sends it in `channelData.tenant.id`,
    /// other channels in `conversation.tenantId`.
    pub fn tenant_id(&self) -> Option<String> {
        let activity = &self.activity;
        activity
            .conversation
            .as_ref()
            .and_then(|c| c.tenant_id.clone())
            .or_else(|| {
                activity
                    .channel_data
                    .as_ref()?
                    .pointer("/tenant/id")?
                    .as_str()
                    .map(str::to_owned)
            })
    }
}

fn required(
    value: Option<&str>,
    field: &'static str,
    max_len: usize,
) -> Result<String, InvalidActivity> {
    optional(value, field, max_len)?;
    match value.map(str::trim) {
        None | Some("") => Err(InvalidActivity {
            field,
            problem: "is required",
        }),
        Some(v) => Ok(v.to_owned()),
    }
}

/// An id or tag, when present, within its size and without control or bidi
/// characters — checked as sent, before any trimming: the activity is stored
/// as sent, and URL parsing would silently drop tabs and newlines.
fn optional(
    value: Option<&str>,
    field: &'static str,
    max_len: usize,
) -> Result<(), InvalidActivity> {
    match value {
        Some(v) if v.len() > max_len => Err(InvalidActivity {
            field,
            problem: "is too long",
        }),
        Some(v) if v.chars().any(unfit_for_id) => Err(InvalidActivity {
            field,
            problem: "contains control characters",
        }),
        _ => Ok(()),
    }
}

fn parse_service_url(raw: &str) -> Result<Url, InvalidActivity> {
    let invalid = |problem| InvalidActivity {
        field: "serviceUrl",
        problem,
    };
    let url = Url::parse(raw).map_err(|_| invalid("is not a valid URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("must be an http or https URL"));
    }
    if url.host().is_none() {
        return Err(invalid("has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not carry credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not carry a query or fragment"));
    }
    Ok(url)
}

/// Whether a URL points at this machine: `localhost` (and `*.localhost`), or a
/// loopback address. With authentication off, Herald only sends there.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity(json: &str) -> Activity {
        serde_json::from_str(json).unwrap()
    }

    fn valid() -> Activity {
        activity(
            r#"{"type":"message","channelId":"emulator","serviceUrl":"http://localhost:5000",
                "conversation":{"id":"abc|livechat"},"from":{"id":"u"},"recipient":{"id":"b"}}"#,
        )
    }

    #[test]
    fn a_complete_activity_is_accepted() {
        let inbound = InboundActivity::validate(valid()).unwrap();
        assert_eq!(inbound.kind, "message");
        assert_eq!(inbound.conversation_id, "abc|livechat");
        let reference = inbound.conversation_reference();
        assert_eq!(reference.service_url, "http://localhost:5000");
        assert_eq!(reference.user.unwrap().id.as_deref(), Some("u"));
        assert_eq!(reference.bot.unwrap().id.as_deref(), Some("b"));
    }

    #[test]
    fn missing_fields_are_named() {
        let mut a = valid();
        a.kind = None;
        assert_eq!(InboundActivity::validate(a).unwrap_err().field, "type");
        let mut a = valid();
        a.conversation = None;
        assert_eq!(
            InboundActivity::validate(a).unwrap_err().field,
            "conversation.id"
        );
        let mut a = valid();
        a.service_url = Some("  ".into());
        assert_eq!(
            InboundActivity::validate(a).unwrap_err().field,
            "serviceUrl"
        );
        let mut a = valid();
        a.channel_id = None;
        assert_eq!(InboundActivity::validate(a).unwrap_err().field, "channelId");
    }

    #[test]
    fn hostile_service_urls_are_refused() {
        for url in [
            "ftp://localhost/",
            "not a url",
            "http://user:pw@localhost/",
            "file:///etc/passwd",
            "http://localhost/?x=1",
        ] {
            let mut a = valid();
            a.service_url = Some(url.into());
            assert_eq!(
                InboundActivity::validate(a).unwrap_err().field,
                "serviceUrl",
                "{url}"
            );
        }
    }

    #[test]
    fn oversized_ids_are_refused() {
        let mut a = valid();
        a.conversation.as_mut().unwrap().id = Some("x".repeat(5000));
        assert_eq!(
            InboundActivity::validate(a).unwrap_err().problem,
            "is too long"
        );
    }

    #[test]
    fn oversized_locales_and_zones_are_refused() {
        let mut a = valid();
        a.locale = Some("x".repeat(65));
        assert_eq!(InboundActivity::validate(a).unwrap_err().field, "locale");
        let mut a = valid();
        a.local_timezone = Some("y".repeat(500));
        assert_eq!(
            InboundActivity::validate(a).unwrap_err().field,
            "localTimezone"
        );
    }

    #[test]
    fn loopback_is_recognised() {
        for url in [
            "http://localhost:1/",
            "http://127.0.0.1/",
            "http://127.5.5.5/",
            "http://[::1]:80/",
            "http://a.localhost/",
        ] {
            assert!(is_loopback(&Url::parse(url).unwrap()), "{url}");
        }
        for url in [
            "https://smba.trafficmanager.net/emea/",
            "http://10.0.0.1/",
            "http://localhost.evil.com/",
        ] {
            assert!(!is_loopback(&Url::parse(url).unwrap()), "{url}");
        }
    }

    #[test]
    fn teams_tenant_comes_from_channel_data() {
        let mut a = valid();
        a.channel_data = Some(serde_json::json!({"tenant": {"id": "t-1"}}));
        assert_eq!(
            InboundActivity::validate(a).unwrap().tenant_id().as_deref(),
            Some("t-1")
        );
    }
}

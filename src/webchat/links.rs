//! Links to the files of a web chat conversation. A transcript keeps each
//! file's path (`/v3/directline/conversations/{id}/attachments/{file}`);
//! whenever a client reads the transcript, the path becomes a link on the
//! client's own host, valid for `webchat.attachment_link_secs` and signed
//! (HMAC-SHA256 over conversation, file and expiry), because an `<img>`
//! cannot send the conversation's token. A link names one file of one
//! conversation: changing any part of it breaks the signature.
//!
//! The key is derived from `webchat.secret`, so every instance that shares
//! the secret honours the links of the others, across restarts. Without a
//! secret (loopback development) it is random for the process: links then
//! die when Herald restarts, and the next read of the transcript signs new
//! ones.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use ring::hmac;
use ring::rand::SystemRandom;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use super::WebChat;

/// What the secret's key for links is derived with: a key of its own, never
/// the secret itself.
const KEY_PURPOSE: &[u8] = b"herald webchat attachment links v1";

/// Why a link is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkRefused {
    Expired,
    /// Not signed by Herald for this conversation, file and expiry.
    Forged,
}

pub struct AttachmentLinks {
    key: hmac::Key,
    lifetime: Duration,
}

/// The path a transcript keeps for a file.
pub fn path(conversation_id: &str, attachment_id: &str) -> String {
    format!("/v3/directline/conversations/{conversation_id}/attachments/{attachment_id}")
}

/// Whether `id` could be an id Herald made (URL-safe base64): conversation
/// and file ids are.
fn is_herald_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// What is signed. Ids are Herald's (checked before a link is believed), so
/// no part can reach into the next across a newline.
fn message(conversation_id: &str, attachment_id: &str, expires: i64) -> String {
    format!("{conversation_id}\n{attachment_id}\n{expires}")
}

impl AttachmentLinks {
    /// Keyed by `secret` when there is one, else by a random key.
    pub fn new(
        secret: Option<&SecretString>,
        lifetime: std::time::Duration,
    ) -> Result<Self, ring::error::Unspecified> {
        let key = match secret.map(|s| s.expose_secret()).filter(|s| !s.is_empty()) {
            Some(secret) => {
                let derived = hmac::sign(
                    &hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes()),
                    KEY_PURPOSE,
                );
                hmac::Key::new(hmac::HMAC_SHA256, derived.as_ref())
            }
            None => hmac::Key::generate(hmac::HMAC_SHA256, &SystemRandom::new())?,
        };
        Ok(Self {
            key,
            lifetime: Duration::from_std(lifetime).unwrap_or(Duration::minutes(10)),
        })
    }

    fn signature(&self, conversation_id: &str, attachment_id: &str, expires: i64) -> hmac::Tag {
        hmac::sign(
            &self.key,
            message(conversation_id, attachment_id, expires).as_bytes(),
        )
    }

    /// A link to a file, on `origin` (`https://host`), valid from `now` for
    /// the configured lifetime.
    pub fn signed(
        &self,
        origin: &str,
        conversation_id: &str,
        attachment_id: &str,
        now: DateTime<Utc>,
    ) -> String {
        let expires = (now + self.lifetime).timestamp();
        let signature = self.signature(conversation_id, attachment_id, expires);
        format!(
            "{origin}{}?expires={expires}&signature={}",
            path(conversation_id, attachment_id),
            URL_SAFE_NO_PAD.encode(signature.as_ref())
        )
    }

    /// Whether a link's parts are Herald's and it has not expired at `now`.
    pub fn check(
        &self,
        conversation_id: &str,
        attachment_id: &str,
        expires: i64,
        signature: &str,
        now: DateTime<Utc>,
    ) -> Result<(), LinkRefused> {
        if !is_herald_id(conversation_id) || !is_herald_id(attachment_id) {
            return Err(LinkRefused::Forged);
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature)
            .map_err(|_| LinkRefused::Forged)?;
        let signed = message(conversation_id, attachment_id, expires);
        // Compared in constant time.
        hmac::verify(&self.key, signed.as_bytes(), &signature).map_err(|_| LinkRefused::Forged)?;
        if expires <= now.timestamp() {
            return Err(LinkRefused::Expired);
        }
        Ok(())
    }

    /// Turns the paths of the conversation's own files in `attachments`
    /// (`contentUrl`, and `thumbnailUrl` of images) into signed links on
    /// `origin`. Anything else (another conversation's path, a link of the
    /// client's own) is left as it is.
    pub fn sign_in(
        &self,
        attachments: &mut [Value],
        conversation_id: &str,
        origin: &str,
        now: DateTime<Utc>,
    ) {
        let own = path(conversation_id, "");
        for attachment in attachments {
            for field in ["contentUrl", "thumbnailUrl"] {
                let Some(url) = attachment.get(field).and_then(Value::as_str) else {
                    continue;
                };
                let Some(id) = url.strip_prefix(&own).filter(|id| is_herald_id(id)) else {
                    continue;
                };
                let link = self.signed(origin, conversation_id, id, now);
                attachment[field] = Value::String(link);
            }
        }
    }
}

impl WebChat {
    /// Signs the links to files in activities of a transcript being read.
    pub fn sign_links(&self, activities: &mut [Value], conversation_id: &str, origin: &str) {
        let now = self.clock.now();
        for activity in activities {
            if let Some(attachments) = activity
                .get_mut("attachments")
                .and_then(Value::as_array_mut)
            {
                self.links
                    .sign_in(attachments, conversation_id, origin, now);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn links(secret: Option<&str>) -> AttachmentLinks {
        let secret = secret.map(|s| SecretString::from(s.to_owned()));
        AttachmentLinks::new(secret.as_ref(), std::time::Duration::from_secs(600)).unwrap()
    }

    fn parts(link: &str) -> (i64, String) {
        let query = link.split_once('?').unwrap().1;
        let (expires, signature) = query.split_once('&').unwrap();
        (
            expires.strip_prefix("expires=").unwrap().parse().unwrap(),
            signature.strip_prefix("signature=").unwrap().to_owned(),
        )
    }

    #[test]
    fn a_link_opens_its_file_of_its_conversation_until_it_expires() {
        let links = links(Some("a-direct-line-secret-of-32-chars-or-more"));
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let link = links.signed("http://h", "conv", "file1", now);
        assert!(
            link.starts_with("http://h/v3/directline/conversations/conv/attachments/file1?"),
            "{link}"
        );
        let (expires, signature) = parts(&link);
        assert_eq!(expires, now.timestamp() + 600);
        assert_eq!(
            links.check("conv", "file1", expires, &signature, now),
            Ok(())
        );
        let later = now + Duration::seconds(600);
        let refused = links.check("conv", "file1", expires, &signature, later);
        assert_eq!(refused, Err(LinkRefused::Expired));
        for (conversation, file, expires) in [
            ("other", "file1", expires),
            ("conv", "file2", expires),
            ("conv", "file1", expires + 3600),
        ] {
            let refused = links.check(conversation, file, expires, &signature, now);
            assert_eq!(refused, Err(LinkRefused::Forged), "{conversation} {file}");
        }
        let refused = links.check("conv", "file1", expires, "not base64!", now);
        assert_eq!(refused, Err(LinkRefused::Forged));
    }

    #[test]
    fn the_secret_keys_links_alike_everywhere_and_no_secret_keys_them_apart() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let secret = "a-direct-line-secret-of-32-chars-or-more";
        let (expires, signature) = parts(&links(Some(secret)).signed("", "c", "f", now));
        let again = links(Some(secret)).check("c", "f", expires, &signature, now);
        assert_eq!(again, Ok(()), "another instance with the secret");
        let (expires, signature) = parts(&links(None).signed("", "c", "f", now));
        let elsewhere = links(None).check("c", "f", expires, &signature, now);
        assert_eq!(elsewhere, Err(LinkRefused::Forged), "another process");
    }

    #[test]
    fn only_the_conversations_own_paths_are_signed() {
        let links = links(None);
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let mut attachments = vec![
            json!({"contentUrl": path("conv", "abc_1"), "thumbnailUrl": path("conv", "abc_1")}),
            json!({"contentUrl": path("other", "abc_1")}),
            json!({"contentUrl": "https://example.com/x.png"}),
            json!({"contentUrl": format!("{}?x=1", path("conv", "abc"))}),
            json!({"contentType": "application/vnd.microsoft.card.adaptive"}),
        ];
        links.sign_in(&mut attachments, "conv", "https://herald.example", now);
        let urls: Vec<&str> = attachments
            .iter()
            .map(|a| a["contentUrl"].as_str().unwrap_or_default())
            .collect();
        assert!(urls[0].starts_with(
            "https://herald.example/v3/directline/conversations/conv/attachments/abc_1?expires="
        ));
        assert_eq!(attachments[0]["thumbnailUrl"], urls[0]);
        assert_eq!(urls[1], path("other", "abc_1"));
        assert_eq!(urls[2], "https://example.com/x.png");
        assert_eq!(urls[3], format!("{}?x=1", path("conv", "abc")));
        assert_eq!(urls[4], "");
    }
}

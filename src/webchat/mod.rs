//! Herald's own web chat: a channel speaking Direct Line 3.0 (the subset
//! Microsoft's Web Chat and `botframework-directlinejs` use) whose connector
//! lives inside Herald. Every activity of a conversation — the user's and
//! Herald's, replies and proactive messages alike — is appended to a durable,
//! numbered log; clients read it over a WebSocket or by polling, from a
//! watermark, so a reconnect resumes without losing or repeating anything.
//! Herald's messages reach the log through the same connector interface,
//! outbox and send budget as every channel's.

mod endpoints;
mod files;
mod links;
mod local;
mod page;
mod people;
mod requests;
mod slots;
mod start;
mod stream;
mod surface;
mod transcript;
mod upload;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use ring::rand::{SecureRandom, SystemRandom};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tokio::sync::Notify;

pub use files::unfit_to_allow;
pub use people::{BROWSER_HEADER, BadUser, Bound, OfferedUser};
pub use requests::WebchatState;
pub use slots::{Slot, StreamSlots};
pub use surface::routes;
pub use upload::UploadLimits;

use crate::botframework::activity::Activity;
use crate::domain::clock::Clock;
use crate::domain::ports::{
    NewWebchatAttachment, StoreError, WebchatSession, WebchatStore, WebchatToken, WebchatUser,
};
use links::AttachmentLinks;

/// The channel id of web chat conversations.
pub const CHANNEL: &str = "webchat";
/// The service URL of web chat conversations: Herald itself. (`.invalid`
/// never resolves, so nothing is ever sent to it over the network.)
pub const SERVICE_URL: &str = "http://webchat.herald.invalid/";
/// Herald's account in web chat conversations.
pub const BOT_ID: &str = "herald";
/// An expired token is still told apart from an unknown one this long
/// (403 `TokenExpired` rather than 401), before housekeeping forgets it.
pub const EXPIRED_TOKEN_GRACE: Duration = Duration::days(1);
/// Activities one read returns at most.
const PAGE: u32 = 500;

/// A token handed to a client, with its conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub conversation_id: String,
    pub token: String,
    pub expires_in: i64,
}

/// Activities after a watermark, and the new watermark.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivitySet {
    pub activities: Vec<Value>,
    pub watermark: i64,
}

/// What a request's credentials allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// May start conversations and make tokens: with the Direct Line secret
    /// (`trusted`: it may also say who the user is), or without credentials
    /// where development mode allows it.
    Starter {
        trusted: bool,
    },
    /// A token: its conversation only, speaking as its person.
    Conversation(WebchatSession),
    /// A token that opened a conversation and has expired.
    Expired,
    Denied,
}

/// Web chat's limits, from `[webchat]` and `chat.max_text_chars`.
#[derive(Debug, Clone)]
pub struct WebchatLimits {
    pub token_lifetime: std::time::Duration,
    /// Each transcript keeps this many activities, the oldest pruned first.
    pub max_transcript_activities: u32,
    /// A longer text is kept cut (the turn refuses it).
    pub max_text_chars: usize,
    pub max_streams: usize,
    pub max_streams_per_conversation: usize,
    pub uploads: UploadLimits,
    /// How long a link to a file works once a transcript is read.
    pub attachment_link_lifetime: std::time::Duration,
}

pub struct WebChat {
    store: Arc<dyn WebchatStore>,
    clock: Arc<dyn Clock>,
    secret: Option<SecretString>,
    /// Conversations start without a secret (a loopback listener, no secret set).
    open: bool,
    token_lifetime: Duration,
    max_transcript_activities: u32,
    max_text_chars: usize,
    /// Places for WebSocket streams.
    pub streams: Arc<StreamSlots>,
    uploads: UploadLimits,
    links: AttachmentLinks,
    /// Wakes a conversation's streams when its log grows.
    changed: Mutex<HashMap<String, Weak<Notify>>>,
}

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn random(bytes: usize) -> Result<String, StoreError> {
    let mut buffer = vec![0u8; bytes];
    SystemRandom::new()
        .fill(&mut buffer)
        .map_err(|_| StoreError::Corrupt("no randomness available".to_owned()))?;
    Ok(URL_SAFE_NO_PAD.encode(buffer))
}

impl WebChat {
    pub fn new(
        store: Arc<dyn WebchatStore>,
        clock: Arc<dyn Clock>,
        secret: Option<SecretString>,
        loopback: bool,
        limits: WebchatLimits,
    ) -> Result<Self, ring::error::Unspecified> {
        let secret = secret.filter(|s| !s.expose_secret().is_empty());
        let links = AttachmentLinks::new(secret.as_ref(), limits.attachment_link_lifetime)?;
        Ok(Self {
            store,
            clock,
            open: loopback && secret.is_none(),
            secret,
            token_lifetime: Duration::from_std(limits.token_lifetime)
                .unwrap_or(Duration::minutes(30)),
            max_transcript_activities: limits.max_transcript_activities.max(1),
            max_text_chars: limits.max_text_chars,
            streams: StreamSlots::new(limits.max_streams, limits.max_streams_per_conversation),
            uploads: limits.uploads,
            links,
            changed: Mutex::new(HashMap::new()),
        })
    }

    /// What `bearer` (the `Authorization: Bearer` value, if any) may do.
    pub async fn access(&self, bearer: Option<&str>) -> Result<Access, StoreError> {
        let Some(bearer) = bearer else {
            return Ok(if self.open {
                Access::Starter { trusted: false }
            } else {
                Access::Denied
            });
        };
        if let Some(secret) = &self.secret {
            if bool::from(secret.expose_secret().as_bytes().ct_eq(bearer.as_bytes())) {
                return Ok(Access::Starter { trusted: true });
            }
        }
        let now = self.clock.now();
        Ok(
            match self
                .store
                .webchat_token(&digest(bearer), now - EXPIRED_TOKEN_GRACE)
                .await?
            {
                Some(session) if session.expires_at.is_some_and(|at| at <= now) => Access::Expired,
                Some(session) => Access::Conversation(session),
                None => Access::Denied,
            },
        )
    }

    /// Seconds a session's token has left (a token's own expiry, not the
    /// configured lifetime: 40 s into a 60 s token it is 20).
    pub fn expires_in(&self, session: &WebchatSession) -> i64 {
        session
            .expires_at
            .map_or(self.token_lifetime.num_seconds(), |at| {
                (at - self.clock.now()).num_seconds().max(0)
            })
    }

    /// A new conversation, speaking as `user` for good, and its first token.
    pub async fn create(&self, user: &Bound) -> Result<Issued, StoreError> {
        let conversation_id = random(18)?;
        let token = random(32)?;
        let now = self.clock.now();
        self.store
            .create_webchat_conversation(
                &conversation_id,
                WebchatUser {
                    id: &user.id,
                    name: user.name.as_deref(),
                },
                &WebchatToken {
                    sha256: &digest(&token),
                    conversation_id: &conversation_id,
                    expires_at: now + self.token_lifetime,
                },
                now,
            )
            .await?;
        Ok(Issued {
            conversation_id,
            token,
            expires_in: self.token_lifetime.num_seconds(),
        })
    }

    /// A new token for a conversation (the old ones stay valid until they
    /// expire); `None` when the conversation is gone.
    pub async fn issue(&self, conversation_id: &str) -> Result<Option<Issued>, StoreError> {
        let token = random(32)?;
        let added = self
            .store
            .add_webchat_token(&WebchatToken {
                sha256: &digest(&token),
                conversation_id,
                expires_at: self.clock.now() + self.token_lifetime,
            })
            .await?;
        Ok(added.then(|| Issued {
            conversation_id: conversation_id.to_owned(),
            token,
            expires_in: self.token_lifetime.num_seconds(),
        }))
    }

    /// A conversation and its person, for a caller holding the secret.
    pub async fn session(
        &self,
        conversation_id: &str,
    ) -> Result<Option<WebchatSession>, StoreError> {
        self.store.webchat_session(conversation_id).await
    }

    /// Direct Line's session id for a token: bound to it, and telling nothing
    /// of it (nor of the digest Herald keeps).
    pub fn session_id(token: &str) -> String {
        let digest = Sha256::digest(format!("herald-session:{token}").as_bytes());
        hex::encode(&digest[..16])
    }

    /// Marks the conversation started: true the first time (Herald greets).
    pub async fn start(&self, conversation_id: &str) -> Result<bool, StoreError> {
        self.store
            .start_webchat_conversation(conversation_id, self.clock.now())
            .await
    }

    /// Appends an activity, stamped with the time, as the transcript keeps
    /// it (see `transcript`), with the files it came with; its Direct Line
    /// id. What clients should not see again (typing, unknown types) is not
    /// kept: it gets an id all the same.
    pub async fn append(
        &self,
        conversation_id: &str,
        activity: &Activity,
        files: &[NewWebchatAttachment<'_>],
    ) -> Result<Option<String>, StoreError> {
        if !transcript::worth_keeping(activity) {
            return Ok(Some(format!("{conversation_id}|transient")));
        }
        let now = self.clock.now();
        let mut activity = transcript::kept(activity, self.max_text_chars);
        activity.id = None;
        activity.timestamp = Some(now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
        activity.channel_id = Some(CHANNEL.to_owned());
        let json = serde_json::to_string(&activity)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let Some(seq) = self
            .store
            .append_webchat_activity(
                conversation_id,
                &json,
                files,
                self.max_transcript_activities,
                now,
            )
            .await?
        else {
            return Ok(None);
        };
        self.wake(Some(conversation_id));
        Ok(Some(activity_id(conversation_id, seq)))
    }

    /// `watermark`, or the log's real end when it is past it (a stale
    /// client, a wiped log): a client waiting from past the end would wait
    /// for numbers never coming.
    pub async fn real_watermark(
        &self,
        conversation_id: &str,
        watermark: i64,
    ) -> Result<i64, StoreError> {
        if watermark == 0 {
            return Ok(0);
        }
        let end = self.store.webchat_last_seq(conversation_id).await?;
        Ok(end.map_or(0, |end| end.min(watermark)))
    }

    /// The activities after `watermark`, each with its id.
    pub async fn after(
        &self,
        conversation_id: &str,
        watermark: i64,
    ) -> Result<ActivitySet, StoreError> {
        let rows = self
            .store
            .webchat_activities(conversation_id, watermark, PAGE)
            .await?;
        let mut last = watermark;
        if rows.is_empty() {
            last = self.real_watermark(conversation_id, watermark).await?;
        }
        let mut activities = Vec::with_capacity(rows.len());
        for (seq, json) in rows {
            let mut activity: Value = serde_json::from_str(&json)
                .map_err(|error| StoreError::Corrupt(format!("web chat activity: {error}")))?;
            activity["id"] = json!(activity_id(conversation_id, seq));
            activities.push(activity);
            last = seq;
        }
        Ok(ActivitySet {
            activities,
            watermark: last,
        })
    }

    /// Wakes the streams of a conversation whose log grew (`None`: of every
    /// conversation, when appends may have gone unheard).
    pub fn wake(&self, conversation_id: Option<&str>) {
        let changed = self.changed.lock().unwrap_or_else(|p| p.into_inner());
        let waiters: Vec<Arc<Notify>> = match conversation_id {
            Some(id) => changed
                .get(id)
                .and_then(Weak::upgrade)
                .into_iter()
                .collect(),
            None => changed.values().filter_map(Weak::upgrade).collect(),
        };
        drop(changed);
        for waiter in waiters {
            waiter.notify_waiters();
        }
    }

    /// Woken when the conversation's log grows: by this instance's appends,
    /// and by other instances' through the store (PostgreSQL `NOTIFY`).
    pub fn changes(&self, conversation_id: &str) -> Arc<Notify> {
        let mut changed = self.changed.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(existing) = changed.get(conversation_id).and_then(Weak::upgrade) {
            return existing;
        }
        changed.retain(|_, waiters| waiters.strong_count() > 0);
        let notify = Arc::new(Notify::new());
        changed.insert(conversation_id.to_owned(), Arc::downgrade(&notify));
        notify
    }
}

/// `{conversation}|{seq}`, the shape Direct Line's ids have.
fn activity_id(conversation_id: &str, seq: i64) -> String {
    format!("{conversation_id}|{seq:07}")
}

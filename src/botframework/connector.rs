//! The connector REST client: replies within a turn and proactive sends.
//! `POST {serviceUrl}/v3/conversations/{conversationId}/activities[/{replyToId}]`.

use std::time::Duration;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use secrecy::ExposeSecret;

use super::activity::{Activity, ResourceResponse};
use super::auth::{TokenProvider, TrustedHosts};

/// What JavaScript's `encodeURIComponent` leaves alone, as the SDKs encode path
/// segments: Emulator and Teams ids contain `|`, `:`, `;` and `@`.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// How long to wait before retrying, as a channel's `Retry-After` said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAfter {
    Delay(Duration),
    At(DateTime<Utc>),
}

impl RetryAfter {
    /// Reads a `Retry-After` header: delay-seconds or an HTTP date.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Self::Delay(Duration::from_secs(seconds)));
        }
        DateTime::parse_from_rfc2822(value)
            .ok()
            .map(|at| Self::At(at.with_timezone(&Utc)))
    }
}

/// Why a send failed.
#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    #[error("the connector answered {status}: {body}")]
    Status {
        status: u16,
        retry_after: Option<RetryAfter>,
        /// The start of the answer's body, for the logs.
        body: String,
    },
    #[error("the connector did not answer in time")]
    Timeout,
    #[error("cannot reach the connector: {0}")]
    Transport(String),
    #[error("invalid connector URL: {0}")]
    InvalidUrl(String),
    #[error("the service URL is not trusted with the bot's credentials")]
    Untrusted,
    #[error("cannot get the bot's token: {0}")]
    Token(String),
}

/// The bot's credentials and where they may go.
#[derive(Clone)]
pub struct ConnectorAuth {
    pub tokens: Arc<TokenProvider>,
    pub trusted: TrustedHosts,
}

/// A channel whose connector lives inside Herald (its web chat): activities
/// for its service URL are handed over in process, never sent over HTTP.
#[async_trait::async_trait]
pub trait LocalChannel: Send + Sync + 'static {
    fn service_url(&self) -> &str;
    async fn deliver(
        &self,
        conversation_id: &str,
        activity: &Activity,
    ) -> Result<ResourceResponse, ConnectorError>;
}

/// Sends activities to a channel's connector service.
#[derive(Clone)]
pub struct Connector {
    http: reqwest::Client,
    /// `None` with authentication off (the Emulator's mode).
    auth: Option<ConnectorAuth>,
    local: Option<Arc<dyn LocalChannel>>,
}

impl Connector {
    /// An HTTP client fit for connectors and identity endpoints.
    pub fn http_client(connect_timeout: Duration) -> Result<reqwest::Client, reqwest::Error> {
        reqwest::Client::builder()
            .user_agent(concat!("Herald/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(connect_timeout)
            // Connector answers are tiny; never follow a redirect elsewhere with our traffic.
            .redirect(reqwest::redirect::Policy::none())
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
    }

    pub fn new(http: reqwest::Client, auth: Option<ConnectorAuth>) -> Self {
        Self {
            http,
            auth,
            local: None,
        }
    }

    /// Hands activities for `local`'s service URL to it.
    pub fn with_local(mut self, local: Arc<dyn LocalChannel>) -> Self {
        self.local = Some(local);
        self
    }

    /// Whether `service_url` is a channel living inside Herald: only that
    /// channel's own endpoint may hand Herald activities that carry it.
    pub fn is_local(&self, service_url: &str) -> bool {
        self.local_for(service_url).is_some()
    }

    fn local_for(&self, service_url: &str) -> Option<&Arc<dyn LocalChannel>> {
        self.local
            .as_ref()
            // Stored references may have lost the trailing slash.
            .filter(|local| {
                local.service_url().trim_end_matches('/') == service_url.trim_end_matches('/')
            })
    }

    /// Replies to an activity within its turn.
    pub async fn reply_to_activity(
        &self,
        service_url: &str,
        conversation_id: &str,
        reply_to_id: &str,
        activity: &Activity,
        timeout: Duration,
    ) -> Result<ResourceResponse, ConnectorError> {
        if let Some(local) = self.local_for(service_url) {
            return local.deliver(conversation_id, activity).await;
        }
        let url = activities_url(service_url, conversation_id, Some(reply_to_id));
        self.post(url, activity, timeout).await
    }

    /// Sends an activity to a conversation (proactive, or a reply with no id to answer).
    pub async fn send_to_conversation(
        &self,
        service_url: &str,
        conversation_id: &str,
        activity: &Activity,
        timeout: Duration,
    ) -> Result<ResourceResponse, ConnectorError> {
        if let Some(local) = self.local_for(service_url) {
            return local.deliver(conversation_id, activity).await;
        }
        let url = activities_url(service_url, conversation_id, None);
        self.post(url, activity, timeout).await
    }

    async fn post(
        &self,
        url: String,
        activity: &Activity,
        timeout: Duration,
    ) -> Result<ResourceResponse, ConnectorError> {
        let url =
            reqwest::Url::parse(&url).map_err(|e| ConnectorError::InvalidUrl(e.to_string()))?;
        let Some(auth) = &self.auth else {
            return self.attempt(&url, activity, timeout, None).await;
        };
        // The token goes only where it belongs; so does the message.
        if !auth.trusted.allows(&url) {
            return Err(ConnectorError::Untrusted);
        }
        let token = auth
            .tokens
            .token()
            .await
            .map_err(|e| ConnectorError::Token(e.to_string()))?;
        match self
            .attempt(&url, activity, timeout, Some(token.expose_secret()))
            .await
        {
            // A token revoked or rotated early: fetch a new one and try once more.
            Err(ConnectorError::Status { status: 401, .. }) => {
                auth.tokens.invalidate().await;
                let token = auth
                    .tokens
                    .token()
                    .await
                    .map_err(|e| ConnectorError::Token(e.to_string()))?;
                self.attempt(&url, activity, timeout, Some(token.expose_secret()))
                    .await
            }
            other => other,
        }
    }

    async fn attempt(
        &self,
        url: &reqwest::Url,
        activity: &Activity,
        timeout: Duration,
        token: Option<&str>,
    ) -> Result<ResourceResponse, ConnectorError> {
        let mut request = self.http.post(url.clone()).json(activity).timeout(timeout);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(classify)?;
        let status = response.status();
        if status.is_success() {
            // The id is informative only: an empty or odd body is still a success.
            let body = response.bytes().await.unwrap_or_default();
            return Ok(serde_json::from_slice(&body).unwrap_or_default());
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(RetryAfter::parse);
        let body = response.text().await.unwrap_or_default();
        Err(ConnectorError::Status {
            status: status.as_u16(),
            retry_after,
            body: body.chars().take(300).collect(),
        })
    }
}

fn classify(error: reqwest::Error) -> ConnectorError {
    if error.is_timeout() {
        ConnectorError::Timeout
    } else {
        // `{:#}`-style chain: reqwest's top-level message alone hides the cause.
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            message.push_str(": ");
            message.push_str(&cause.to_string());
            source = cause.source();
        }
        ConnectorError::Transport(message)
    }
}

/// `{serviceUrl}/v3/conversations/{id}/activities[/{replyToId}]`, segments encoded.
pub fn activities_url(
    service_url: &str,
    conversation_id: &str,
    reply_to_id: Option<&str>,
) -> String {
    let mut url = format!(
        "{}/v3/conversations/{}/activities",
        service_url.trim_end_matches('/'),
        utf8_percent_encode(conversation_id, PATH_SEGMENT)
    );
    if let Some(id) = reply_to_id {
        url.push('/');
        url.extend(utf8_percent_encode(id, PATH_SEGMENT));
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded_like_encode_uri_component() {
        let url = activities_url(
            "https://smba.trafficmanager.net/emea/",
            "19:abc@thread.tacv2;messageid=1|x y/z",
            Some("1:2"),
        );
        assert_eq!(
            url,
            "https://smba.trafficmanager.net/emea/v3/conversations/\
             19%3Aabc%40thread.tacv2%3Bmessageid%3D1%7Cx%20y%2Fz/activities/1%3A2"
        );
    }

    #[test]
    fn proactive_urls_have_no_reply_segment() {
        assert_eq!(
            activities_url("http://localhost:9", "c1", None),
            "http://localhost:9/v3/conversations/c1/activities"
        );
    }

    #[tokio::test]
    async fn an_untrusted_service_url_gets_neither_the_message_nor_a_token_request() {
        let http = Connector::http_client(Duration::from_secs(1)).unwrap();
        // A token endpoint nobody listens on: asking it would fail differently.
        let tokens = TokenProvider::new(
            http.clone(),
            "http://127.0.0.1:9/token".into(),
            "app".into(),
            "secret".to_owned().into(),
            Arc::new(crate::domain::clock::SystemClock),
        );
        let trusted = TrustedHosts::new(["smba.trafficmanager.net".to_owned()]);
        let connector = Connector::new(
            http,
            Some(ConnectorAuth {
                tokens: Arc::new(tokens),
                trusted,
            }),
        );
        let result = connector
            .send_to_conversation(
                "https://evil.example/",
                "c1",
                &Activity::default(),
                Duration::from_secs(1),
            )
            .await;
        assert!(
            matches!(result, Err(ConnectorError::Untrusted)),
            "{result:?}"
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(
            RetryAfter::parse("7"),
            Some(RetryAfter::Delay(Duration::from_secs(7)))
        );
        let at = RetryAfter::parse("Sun, 22 Nov 2026 10:00:30 GMT").unwrap();
        assert_eq!(
            at,
            RetryAfter::At(
                DateTime::parse_from_rfc3339("2026-11-22T10:00:30Z")
                    .unwrap()
                    .with_timezone(&Utc)
            )
        );
        assert_eq!(RetryAfter::parse("soon"), None);
    }
}

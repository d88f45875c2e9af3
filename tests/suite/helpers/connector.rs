//! A fake Bot Framework connector service on loopback: records every activity
//! Herald posts and answers as told (accept, fail with a status, or hang), per
//! conversation if asked; optionally it enforces rate limits as Teams does,
//! answering 429 to a message that would break a sliding window.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use herald::domain::clock::{Clock, ManualClock};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::sync::Notify;

/// One activity the connector received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The path as sent, still percent-encoded.
    pub raw_path: String,
    pub conversation_id: String,
    /// `Some` for replies (`…/activities/{replyToId}`), `None` for proactive sends.
    pub reply_to_id: Option<String>,
    pub activity: Value,
    /// The `Authorization` header Herald sent, if any.
    pub authorization: Option<String>,
    /// When it arrived, by the connector's clock (the test's, if given).
    pub at: DateTime<Utc>,
}

impl Received {
    pub fn text(&self) -> &str {
        self.activity["text"].as_str().unwrap_or_default()
    }

    pub fn is_proactive(&self) -> bool {
        self.reply_to_id.is_none()
    }
}

/// How the connector answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectorBehaviour {
    Accept,
    /// Answer every request with this status.
    Fail(u16),
    /// Answer 429 with this Retry-After (seconds).
    Throttle(u64),
    /// Never answer (the request is kept in `hanging`, not `received`).
    Hang,
    /// Answer the next request 401 (a revoked token), then accept.
    UnauthorizedOnce,
    /// Answer every other request 503, accept the rest.
    FailHalf,
    /// Answer 429 without Retry-After.
    ThrottleWithoutRetryAfter,
    /// Answer 403 as Teams does when the user blocked the bot.
    Blocked,
}

/// Rate limits the connector enforces per conversation: (count, period).
pub type Limits = Vec<(usize, chrono::Duration)>;

struct Shared {
    received: Mutex<Vec<Received>>,
    /// Requests held unanswered (`Hang`): proof a send was under way.
    hanging: Mutex<Vec<Received>>,
    behaviour: Mutex<ConnectorBehaviour>,
    /// Behaviours for single conversations, over the general one.
    per_conversation: Mutex<HashMap<String, ConnectorBehaviour>>,
    limits: Mutex<Limits>,
    clock: Mutex<Option<Arc<ManualClock>>>,
    /// Requests answered 429 because they broke a limit.
    refused_for_limits: AtomicUsize,
    requests: AtomicUsize,
    arrived: Notify,
}

#[derive(Clone)]
pub struct FakeConnector {
    pub url: String,
    shared: Arc<Shared>,
}

impl FakeConnector {
    pub async fn start() -> Self {
        let shared = Arc::new(Shared {
            received: Mutex::new(Vec::new()),
            hanging: Mutex::new(Vec::new()),
            behaviour: Mutex::new(ConnectorBehaviour::Accept),
            per_conversation: Mutex::new(HashMap::new()),
            limits: Mutex::new(Vec::new()),
            clock: Mutex::new(None),
            refused_for_limits: AtomicUsize::new(0),
            requests: AtomicUsize::new(0),
            arrived: Notify::new(),
        });
        let router = Router::new()
            .route(
                "/v3/conversations/{conversation}/activities",
                post(proactive),
            )
            .route(
                "/v3/conversations/{conversation}/activities/{reply_to}",
                post(reply),
            )
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { url, shared }
    }

    pub fn set_behaviour(&self, behaviour: ConnectorBehaviour) {
        *self.shared.behaviour.lock().unwrap() = behaviour;
    }

    /// Answers one conversation's requests so (by its channel id).
    pub fn set_behaviour_for(&self, conversation_id: &str, behaviour: ConnectorBehaviour) {
        self.shared
            .per_conversation
            .lock()
            .unwrap()
            .insert(conversation_id.to_owned(), behaviour);
    }

    /// Enforces per-conversation windows, timing arrivals by `clock`.
    pub fn enforce(&self, limits: Limits, clock: Arc<ManualClock>) {
        *self.shared.limits.lock().unwrap() = limits;
        *self.shared.clock.lock().unwrap() = Some(clock);
    }

    /// Requests refused with 429 because they would have broken a limit.
    pub fn refused_for_limits(&self) -> usize {
        self.shared.refused_for_limits.load(Ordering::SeqCst)
    }

    /// Every request that reached the connector.
    pub fn requests(&self) -> usize {
        self.shared.requests.load(Ordering::SeqCst)
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// The requests being held unanswered under `Hang`.
    pub fn hanging(&self) -> Vec<Received> {
        self.shared.hanging.lock().unwrap().clone()
    }

    /// Everything received for one conversation.
    pub fn to(&self, conversation_id: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.conversation_id == conversation_id)
            .collect()
    }

    /// Waits (up to 10 s) until `pred` holds for something received; returns it.
    pub async fn wait_for(&self, what: &str, pred: impl Fn(&Received) -> bool) -> Received {
        self.wait_in(what, Self::received, pred).await
    }

    /// Waits (up to 10 s) until `pred` holds for a request being held unanswered.
    pub async fn wait_for_hanging(&self, what: &str, pred: impl Fn(&Received) -> bool) -> Received {
        self.wait_in(what, Self::hanging, pred).await
    }

    async fn wait_in(
        &self,
        what: &str,
        list: fn(&Self) -> Vec<Received>,
        pred: impl Fn(&Received) -> bool,
    ) -> Received {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let notified = self.shared.arrived.notified();
            if let Some(found) = list(self).into_iter().find(|r| pred(r)) {
                return found;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!("timed out waiting for {what}; seen: {:#?}", list(self));
            }
        }
    }
}

async fn proactive(
    State(shared): State<Arc<Shared>>,
    Path(conversation): Path<String>,
    uri: Uri,
    headers: HeaderMap,
    Json(activity): Json<Value>,
) -> Response {
    record(&shared, uri, &headers, conversation, None, activity).await
}

async fn reply(
    State(shared): State<Arc<Shared>>,
    Path((conversation, reply_to)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
    Json(activity): Json<Value>,
) -> Response {
    record(
        &shared,
        uri,
        &headers,
        conversation,
        Some(reply_to),
        activity,
    )
    .await
}

async fn record(
    shared: &Shared,
    uri: Uri,
    headers: &HeaderMap,
    conversation_id: String,
    reply_to_id: Option<String>,
    activity: Value,
) -> Response {
    let request = shared.requests.fetch_add(1, Ordering::SeqCst);
    let special = shared
        .per_conversation
        .lock()
        .unwrap()
        .get(&conversation_id)
        .copied();
    let behaviour = special.unwrap_or_else(|| {
        let mut current = shared.behaviour.lock().unwrap();
        let now = *current;
        if now == ConnectorBehaviour::UnauthorizedOnce {
            *current = ConnectorBehaviour::Accept;
        }
        now
    });
    let at = match &*shared.clock.lock().unwrap() {
        Some(clock) => clock.now(),
        None => Utc::now(),
    };
    let received = Received {
        raw_path: uri.path().to_owned(),
        conversation_id: conversation_id.clone(),
        reply_to_id,
        activity,
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        at,
    };
    match behaviour {
        ConnectorBehaviour::Accept if breaks_a_limit(shared, &conversation_id, at) => {
            shared.refused_for_limits.fetch_add(1, Ordering::SeqCst);
            (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", "1")],
                Json(json!({"error": {"code": "TooManyRequests"}})),
            )
                .into_response()
        }
        ConnectorBehaviour::FailHalf if request % 2 == 0 => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"error": {"code": "ServiceUnavailable"}})),
        )
            .into_response(),
        ConnectorBehaviour::ThrottleWithoutRetryAfter => {
            (StatusCode::TOO_MANY_REQUESTS, "slow down").into_response()
        }
        ConnectorBehaviour::Blocked => (
            StatusCode::FORBIDDEN,
            Json(json!({"error": {
                "code": "ConversationBlockedByUser",
                "message": "User blocked the conversation with the bot."
            }})),
        )
            .into_response(),
        ConnectorBehaviour::UnauthorizedOnce => (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": {"code": "Unauthorized"}})),
        )
            .into_response(),
        ConnectorBehaviour::Accept | ConnectorBehaviour::FailHalf => {
            shared.received.lock().unwrap().push(received);
            shared.arrived.notify_waiters();
            (StatusCode::OK, Json(json!({"id": "sent-1"}))).into_response()
        }
        ConnectorBehaviour::Fail(status) => {
            let status = StatusCode::from_u16(status).unwrap();
            (status, Json(json!({"error": {"code": "Failure"}}))).into_response()
        }
        ConnectorBehaviour::Throttle(seconds) => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", seconds.to_string())],
            "slow down",
        )
            .into_response(),
        ConnectorBehaviour::Hang => {
            shared.hanging.lock().unwrap().push(received);
            shared.arrived.notify_waiters();
            std::future::pending().await
        }
    }
}

/// Whether one more message to the conversation at `at` would put more than a
/// limit's count in one of its sliding windows (arrivals within the period
/// before `at`, this one included).
fn breaks_a_limit(shared: &Shared, conversation_id: &str, at: DateTime<Utc>) -> bool {
    let limits = shared.limits.lock().unwrap();
    if limits.is_empty() {
        return false;
    }
    let received = shared.received.lock().unwrap();
    limits.iter().any(|(count, period)| {
        let within = received
            .iter()
            .filter(|r| r.conversation_id == conversation_id && at - r.at < *period)
            .count();
        within + 1 > *count
    })
}

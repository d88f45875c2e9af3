//! A local identity provider: OpenID metadata and JWKS for the channel and
//! Emulator issuers (test-generated RSA keys), a client-credentials token
//! endpoint that counts its calls, and a way to sign tokens.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

pub const APP_ID: &str = "herald-app";
pub const APP_PASSWORD: &str = "herald-password";
pub const CHANNEL_ISSUER: &str = "https://api.botframework.com";
pub const EMULATOR_ISSUER_V1: &str =
    "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/";
pub const EMULATOR_ISSUER_V2: &str =
    "https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0";

const KEYS_JSON: &str = include_str!("../../fixtures/signing-keys.json");
const KEY_1_DER: &[u8] = include_bytes!("../../fixtures/signing-key-1.der");
const KEY_2_DER: &[u8] = include_bytes!("../../fixtures/signing-key-2.der");
pub const PUBLIC_KEY_1_PEM: &[u8] = include_bytes!("../../fixtures/public-key-1.pem");

struct Shared {
    base: String,
    /// The kids the channel issuer publishes, with their endorsements.
    published: Mutex<Vec<(&'static str, Vec<&'static str>)>>,
    metadata_down: AtomicBool,
    /// What the metadata says the issuer signs with.
    algorithms: Mutex<Vec<&'static str>>,
    metadata_fetches: AtomicU32,
    token_requests: AtomicU32,
}

#[derive(Clone)]
pub struct FakeIssuer {
    pub base: String,
    shared: Arc<Shared>,
}

impl FakeIssuer {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let shared = Arc::new(Shared {
            base: base.clone(),
            published: Mutex::new(vec![("key-1", vec!["emulator", "msteams"])]),
            metadata_down: AtomicBool::new(false),
            algorithms: Mutex::new(vec!["RS256"]),
            metadata_fetches: AtomicU32::new(0),
            token_requests: AtomicU32::new(0),
        });
        let router = Router::new()
            .route("/channel/openid", get(channel_metadata))
            .route("/channel/keys", get(channel_keys))
            .route("/emulator/openid", get(emulator_metadata))
            .route("/emulator/keys", get(emulator_keys))
            .route("/token", post(token))
            .with_state(Arc::clone(&shared));
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { base, shared }
    }

    /// Points Herald's settings at this issuer, with an app id and password.
    pub fn configure(&self, settings: &mut herald::config::Settings) {
        settings.bot.app_id = APP_ID.into();
        settings.bot.app_password = APP_PASSWORD.to_owned().into();
        settings.auth.openid_metadata_url = format!("{}/channel/openid", self.base);
        settings.auth.emulator_openid_metadata_url = format!("{}/emulator/openid", self.base);
        settings.auth.token_endpoint = format!("{}/token", self.base);
        settings.auth.trusted_service_hosts = vec!["127.0.0.1".into()];
    }

    pub fn publish(&self, keys: Vec<(&'static str, Vec<&'static str>)>) {
        *self.shared.published.lock().unwrap() = keys;
    }

    pub fn set_algorithms(&self, algorithms: Vec<&'static str>) {
        *self.shared.algorithms.lock().unwrap() = algorithms;
    }

    pub fn set_metadata_down(&self, down: bool) {
        self.shared.metadata_down.store(down, Ordering::SeqCst);
    }

    pub fn metadata_fetches(&self) -> u32 {
        self.shared.metadata_fetches.load(Ordering::SeqCst)
    }

    pub fn token_requests(&self) -> u32 {
        self.shared.token_requests.load(Ordering::SeqCst)
    }
}

/// Signs `claims` with one of the fixture keys, naming `kid` in the header.
pub fn sign(key: u8, kid: &str, claims: &Value) -> String {
    let der = if key == 1 { KEY_1_DER } else { KEY_2_DER };
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_der(der)).unwrap()
}

fn jwk(kid: &str, endorsements: &[&str]) -> Value {
    let keys: Value = serde_json::from_str(KEYS_JSON).unwrap();
    let mut key =
        json!({"kty": "RSA", "use": "sig", "kid": kid, "n": keys[kid]["n"], "e": keys[kid]["e"]});
    if !endorsements.is_empty() {
        key["endorsements"] = json!(endorsements);
    }
    key
}

async fn channel_metadata(State(shared): State<Arc<Shared>>) -> Response {
    shared.metadata_fetches.fetch_add(1, Ordering::SeqCst);
    if shared.metadata_down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let algorithms = shared.algorithms.lock().unwrap().clone();
    Json(json!({
        "issuer": CHANNEL_ISSUER,
        "jwks_uri": format!("{}/channel/keys", shared.base),
        "id_token_signing_alg_values_supported": algorithms,
    }))
    .into_response()
}

async fn channel_keys(State(shared): State<Arc<Shared>>) -> Json<Value> {
    let published = shared.published.lock().unwrap().clone();
    let keys: Vec<Value> = published
        .iter()
        .map(|(kid, endorsements)| jwk(kid, endorsements))
        .collect();
    Json(json!({"keys": keys}))
}

async fn emulator_metadata(State(shared): State<Arc<Shared>>) -> Json<Value> {
    Json(
        json!({"issuer": EMULATOR_ISSUER_V2, "jwks_uri": format!("{}/emulator/keys", shared.base)}),
    )
}

async fn emulator_keys() -> Json<Value> {
    // Azure AD keys carry no endorsements.
    Json(json!({"keys": [jwk("key-2", &[])]}))
}

async fn token(
    State(shared): State<Arc<Shared>>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let valid = field("grant_type") == Some("client_credentials")
        && field("client_id") == Some(APP_ID)
        && field("client_secret") == Some(APP_PASSWORD)
        && field("scope") == Some("https://api.botframework.com/.default");
    if !valid {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    let n = shared.token_requests.fetch_add(1, Ordering::SeqCst) + 1;
    Json(json!({"token_type": "Bearer", "expires_in": 3600, "access_token": format!("bot-token-{n}")})).into_response()
}

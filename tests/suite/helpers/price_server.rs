//! A price source on loopback, answering like CoinGecko's `simple/price`
//! (`GET /price?ids=<symbol>&vs=<currency>` → `{"<symbol>": {"<currency>": 123.4}}`),
//! or as told per symbol: slowly, with garbage, too much, a status, or a
//! redirect. It counts the requests per symbol.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use herald::config::{PriceSourceSetting, Settings};
use serde_json::json;

/// How the source answers for one symbol.
#[derive(Debug, Clone)]
pub enum PriceAnswer {
    /// A JSON number, written as given (`"29500.12"`).
    Price(String),
    /// After this long, the price.
    Slow(Duration, String),
    /// 200 with a body that is not JSON.
    Garbage,
    /// 200 with a JSON body of this many bytes.
    Huge(usize),
    Status(u16),
    /// 302 to this URL.
    Redirect(String),
}

#[derive(Default)]
struct Shared {
    answers: Mutex<HashMap<String, PriceAnswer>>,
    requests: Mutex<Vec<String>>,
}

#[derive(Clone)]
pub struct PriceServer {
    pub port: u16,
    shared: Arc<Shared>,
}

impl PriceServer {
    pub async fn start() -> Self {
        let shared = Arc::new(Shared::default());
        let router = Router::new()
            .route("/price", get(price))
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { port, shared }
    }

    /// `host:port` for `prices.allow_private`.
    pub fn allowed(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The URL template of a source on this server.
    pub fn url(&self) -> String {
        format!(
            "http://127.0.0.1:{}/price?ids={{symbol}}&vs={{currency}}",
            self.port
        )
    }

    pub fn answer(&self, symbol: &str, answer: PriceAnswer) {
        self.shared
            .answers
            .lock()
            .unwrap()
            .insert(symbol.to_owned(), answer);
    }

    pub fn price(&self, symbol: &str, price: &str) {
        self.answer(symbol, PriceAnswer::Price(price.to_owned()));
    }

    /// Answers `{}` for `symbol`, as CoinGecko does for an id it does not know.
    pub fn forget(&self, symbol: &str) {
        self.shared.answers.lock().unwrap().remove(symbol);
    }

    /// Requests for `symbol` so far.
    pub fn requests_for(&self, symbol: &str) -> usize {
        self.shared
            .requests
            .lock()
            .unwrap()
            .iter()
            .filter(|s| *s == symbol)
            .count()
    }

    /// Waits (up to 10 s) until `symbol` was asked for `count` times.
    pub async fn wait_for_requests(&self, symbol: &str, count: usize) {
        self.wait_until(count, symbol, || self.requests_for(symbol))
            .await;
    }

    /// Waits (up to 10 s) until `count` requests came, for any symbol.
    pub async fn wait_for_any_requests(&self, count: usize) {
        let total = || self.shared.requests.lock().unwrap().len();
        self.wait_until(count, "any symbol", total).await;
    }

    async fn wait_until(&self, count: usize, what: &str, asked: impl Fn() -> usize) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while asked() < count {
            assert!(
                tokio::time::Instant::now() < deadline,
                "{what} was asked for {} times, not {count}",
                asked()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

async fn price(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let symbol = query.get("ids").cloned().unwrap_or_default();
    let currency = query.get("vs").cloned().unwrap_or_default();
    shared.requests.lock().unwrap().push(symbol.clone());
    let answer = shared.answers.lock().unwrap().get(&symbol).cloned();
    let priced = |price: &str| {
        let number: serde_json::Value = serde_json::from_str(price).unwrap();
        Json(json!({ symbol.clone(): { currency.clone(): number } })).into_response()
    };
    match answer {
        None => Json(json!({})).into_response(),
        Some(PriceAnswer::Price(price)) => priced(&price),
        Some(PriceAnswer::Slow(delay, price)) => {
            tokio::time::sleep(delay).await;
            priced(&price)
        }
        Some(PriceAnswer::Garbage) => (
            [(header::CONTENT_TYPE, "application/json")],
            "<html>Service Unavailable</html>",
        )
            .into_response(),
        Some(PriceAnswer::Huge(bytes)) => {
            let filler = "9".repeat(bytes);
            (
                [(header::CONTENT_TYPE, "application/json")],
                format!("{{\"{symbol}\": {{\"{currency}\": 1, \"pad\": \"{filler}\"}}}}"),
            )
                .into_response()
        }
        Some(PriceAnswer::Status(status)) => StatusCode::from_u16(status).unwrap().into_response(),
        Some(PriceAnswer::Redirect(to)) => {
            (StatusCode::FOUND, [(header::LOCATION, to)]).into_response()
        }
    }
}

/// A source named `market` on the test's price server, the default one.
pub fn market(server: &PriceServer) -> impl FnOnce(&mut Settings) + use<> {
    let (url, allowed) = (server.url(), server.allowed());
    move |settings| {
        settings.prices.allow_private = vec![allowed];
        settings.prices.default_source = "market".to_owned();
        settings.prices.sources = vec![price_source("market", &url)];
    }
}

pub fn price_source(name: &str, url: &str) -> PriceSourceSetting {
    PriceSourceSetting {
        name: name.to_owned(),
        url: Some(url.to_owned()),
        pointer: "/{symbol}/{currency}".to_owned(),
        headers: BTreeMap::new(),
        currency: Some("usd".to_owned()),
        interval_secs: 60,
        requests_per_minute: 1000,
        lowercase_symbols: true,
    }
}

//! The sink: a connector that accepts every proactive message and counts
//! them by text.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::post;

/// A connector that accepts everything and counts what it received, by text.
#[derive(Default)]
pub(crate) struct Sink {
    texts: Mutex<HashMap<String, u32>>,
}

impl Sink {
    /// Messages received, and how many distinct texts among them.
    pub(crate) fn counts(&self) -> (u64, u64) {
        let texts = self.texts.lock().unwrap();
        (
            texts.values().map(|n| u64::from(*n)).sum(),
            texts.len() as u64,
        )
    }

    pub(crate) fn forget(&self) {
        self.texts.lock().unwrap().clear();
    }
}

pub(crate) async fn start_sink() -> (String, Arc<Sink>) {
    let sink = Arc::new(Sink::default());
    let counting = Arc::clone(&sink);
    let router = Router::new().fallback(post(
        move |axum::Json(activity): axum::Json<serde_json::Value>| {
            let sink = Arc::clone(&counting);
            async move {
                let text = activity["text"].as_str().unwrap_or_default().to_owned();
                *sink.texts.lock().unwrap().entry(text).or_default() += 1;
                axum::Json(serde_json::json!({"id": "1"}))
            }
        },
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{address}"), sink)
}

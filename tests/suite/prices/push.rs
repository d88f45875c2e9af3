//! Prices pushed by external systems through `POST /api/v1/prices`: every
//! watch on the symbol evaluated at once, bad pushes refused whole, and the
//! `prices:write` scope required.

use serde_json::{Value, json};

use super::{app_with_market, push, wait_for_alerts};
use crate::helpers::{Conversation, PriceServer, spawn_app_with};
use crate::on_both_backends;

on_both_backends! {
    async fn pushed_prices_evaluate_every_watch_on_the_symbol_at_once(db: TestDatabase) {
        let app = spawn_app_with(&db, crate::helpers::FakeConnector::start().await, |_| {}).await;
        let never_pushed = app.conversation("early");
        let refused = app.say(&never_pushed, "watch shop sku-123 below 19.90").await;
        assert_eq!(refused, ["I don't know the price source \"shop\": none is configured, and no system has pushed its prices to me."]);

        push(&app, json!({"source": "shop", "symbol": "sku-123", "price": "24.90", "currency": "EUR"})).await;
        let watchers: Vec<Conversation> = (0..5).map(|n| app.conversation(&format!("shop{n}"))).collect();
        for watcher in &watchers {
            let echo = app.say(watcher, "watch shop sku-123 below 19.90").await;
            assert!(echo[0].contains("when it goes below 19.9 (now 24.9)."), "{echo:?}");
        }
        let (status, body) = push(&app, json!({"prices": [
            {"source": "shop", "symbol": "sku-999", "price": 5},
            {"source": "shop", "symbol": "sku-123", "price": 18.5, "currency": "EUR", "at": "2026-11-22T09:59:00Z"},
        ]})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body, json!({"accepted": 2, "watchesEvaluated": 5, "alerts": 5}));
        for watcher in &watchers {
            let alerts = wait_for_alerts(&app, watcher, 1).await;
            assert!(alerts[0].starts_with("🔔 **sku-123** (shop) is at 18.5 EUR"), "{alerts:?}");
        }
        let history = app.store.recent_prices("shop", "sku-123", 10).await.unwrap();
        assert_eq!(history.len(), 2);
    }
}

on_both_backends! {
    async fn bad_pushes_are_refused_naming_the_field_and_nothing_is_kept(db: TestDatabase) {
        let server = PriceServer::start().await;
        let app = app_with_market(&db, &server).await;
        let cases = [
            (json!({"source": "shop", "symbol": "a", "price": -1}), "price:"),
            (json!({"source": "shop", "symbol": "a", "price": 0}), "price:"),
            (json!({"source": "shop", "symbol": "a", "price": "cheap"}), "price:"),
            (json!({"source": "shop", "symbol": "a", "price": true}), "price:"),
            (json!({"source": "shop", "symbol": "a", "price": "1e400"}), "price:"),
            (json!({"source": "shop", "price": 1}), "missing field `symbol`"),
            (json!({"source": "shop", "symbol": "a b", "price": 1}), "symbol:"),
            (json!({"source": "../etc", "symbol": "a", "price": 1}), "source:"),
            (json!({"source": "market", "symbol": "a", "price": 1}), "source: `market` is fetched by Herald"),
            (json!({"source": "shop", "symbol": "a", "price": 1, "currency": "€uro!"}), "currency:"),
            (json!({"source": "shop", "symbol": "a", "price": 1, "at": "2026-11-22T11:00:00Z"}), "at:"),
            (json!({"source": "shop", "symbol": "a", "price": 1, "at": "yesterday"}), "at:"),
            (json!({"source": "shop", "symbol": "a", "price": 1, "prise": 2}), "unknown field `prise`"),
            (json!({"prices": []}), "prices: must not be empty"),
            (json!({"prices": {"source": "shop"}}), "prices: must be an array"),
            (json!([1, 2]), "the body must be a price object"),
            (json!({"prices": [
                {"source": "shop", "symbol": "good", "price": 1},
                {"source": "shop", "symbol": "bad", "price": "1,5"},
            ]}), "prices[1].price:"),
        ];
        for (body, field) in cases {
            let (status, answer) = push(&app, body.clone()).await;
            assert_eq!(status, 400, "{body} → {answer}");
            let message = answer["error"]["message"].as_str().unwrap_or_default();
            assert!(message.contains(field), "{body}: {message:?} does not name {field:?}");
        }
        let too_many: Vec<Value> = (0..1001).map(|n| json!({"source": "shop", "symbol": format!("s{n}"), "price": 1})).collect();
        let (status, answer) = push(&app, json!({"prices": too_many})).await;
        assert_eq!(status, 400);
        assert!(answer["error"]["message"].as_str().unwrap().contains("at most 1000"));
        let response = app.client.post(format!("{}/api/v1/prices", app.address))
            .header("content-type", "application/json").body("{\"source\": ").send().await.unwrap();
        assert_eq!(response.status(), 400);

        // Nothing of a refused batch was applied, and no source was learnt.
        assert!(app.store.recent_prices("shop", "good", 5).await.unwrap().is_empty());
        assert!(!app.store.pushed_source("shop").await.unwrap());
    }
}

on_both_backends! {
    async fn pushing_prices_takes_a_key_with_the_prices_scope(db: TestDatabase) {
        let (pusher, pusher_digest) = herald::http::api::keys::generate_key().unwrap();
        let (other, other_digest) = herald::http::api::keys::generate_key().unwrap();
        let app = spawn_app_with(&db, crate::helpers::FakeConnector::start().await, |settings| {
            settings.api.keys = vec![
                herald::config::ApiKeySetting {
                    name: "shop".to_owned(),
                    sha256: pusher_digest,
                    scopes: vec!["prices:write".to_owned()],
                    revoked: false,
                },
                herald::config::ApiKeySetting {
                    name: "jobs".to_owned(),
                    sha256: other_digest,
                    scopes: vec!["jobs:write".to_owned()],
                    revoked: false,
                },
            ];
        })
        .await;
        let price = json!({"source": "shop", "symbol": "sku-1", "price": "9.99"});
        let send = |key: Option<String>| {
            let request = app.client.post(format!("{}/api/v1/prices", app.address)).json(&price);
            let request = match key {
                Some(key) => request.bearer_auth(key),
                None => request,
            };
            async move {
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                (status, response.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        assert_eq!(send(None).await.0, 401);
        let (status, body) = send(Some(other)).await;
        assert_eq!(status, 403);
        assert!(body["error"]["message"].as_str().unwrap().contains("prices:write"), "{body}");
        assert!(!app.store.pushed_source("shop").await.unwrap());
        let (status, body) = send(Some(pusher)).await;
        assert_eq!(status, 200, "{body}");
        assert!(app.store.pushed_source("shop").await.unwrap());
    }
}

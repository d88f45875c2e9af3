//! Price watches end to end: set in chat (after one fetch from a price source
//! on loopback, allowed for its host and port only), polled by the trigger
//! engine with one fetch per symbol whatever the number of watchers, pushed
//! by external systems through `POST /api/v1/prices`, alerted proactively in
//! the conversation that asked — and every way a source can misbehave.

use chrono::Duration;
use herald::config::Settings;
use herald::domain::ports::TriggerFilter;
use herald::domain::trigger::{TriggerKind, TriggerState};
use serde_json::{Value, json};

use crate::helpers::{
    Conversation, PriceAnswer, PriceServer, TestApp, market, price_source as source,
    spawn_app_resolving, spawn_app_with,
};
use crate::on_both_backends;

async fn app_with_market(db: &crate::helpers::TestDatabase, server: &PriceServer) -> TestApp {
    spawn_app_with(
        db,
        crate::helpers::FakeConnector::start().await,
        market(server),
    )
    .await
}

fn proactive_texts(app: &TestApp, conversation: &Conversation) -> Vec<String> {
    app.connector
        .to(&conversation.id)
        .into_iter()
        .filter(|r| r.is_proactive())
        .map(|r| r.text().to_owned())
        .collect()
}

/// Waits (up to 10 s) until `conversation` has `count` proactive messages.
async fn wait_for_alerts(app: &TestApp, conversation: &Conversation, count: usize) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let texts = proactive_texts(app, conversation);
        if texts.len() >= count {
            return texts;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{count} alerts never came to {}: {texts:?}",
            conversation.id
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Waits (up to 10 s) until no polling trigger is active.
async fn wait_for_no_polls(app: &TestApp) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let polls = app
            .store
            .list_triggers(&TriggerFilter {
                kind: Some(TriggerKind::PriceWatch),
                state: Some(TriggerState::Active),
                limit: 10,
                include_internal: true,
                ..TriggerFilter::default()
            })
            .await
            .unwrap();
        if polls.is_empty() {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "polls still active: {polls:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Lets delivery run a while, for asserting that nothing more arrives.
async fn settle() {
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
}

/// The watch id at the end of an echo (`… (#4)`).
fn id_in(echo: &str) -> i64 {
    echo.rsplit("(#")
        .next()
        .and_then(|rest| rest.trim_end_matches(')').parse().ok())
        .unwrap_or_else(|| panic!("no id in {echo:?}"))
}

async fn push(app: &TestApp, body: Value) -> (u16, Value) {
    app.api("POST", "/prices", Some(&body)).await
}

on_both_backends! {
    async fn a_watch_set_in_chat_alerts_its_own_conversation_when_the_price_crosses(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        let app = app_with_market(&db, &server).await;
        let ana = app.conversation("ana");
        let bob = app.conversation("bob");

        let echo = app.say(&ana, "watch Bitcoin below 30000 usd").await;
        assert_eq!(echo.len(), 1, "{echo:?}");
        assert!(
            echo[0].starts_with("I'm watching bitcoin (market) for you: I'll tell you when it goes below 30000 USD (now 31000 USD)."),
            "{echo:?}"
        );
        let id = id_in(&echo[0]);
        assert_eq!(server.requests_for("bitcoin"), 1, "one fetch proves the symbol");
        let listed = app.say(&ana, "watches").await;
        assert!(listed[0].starts_with("**Price watches** (1)"), "{listed:?}");
        assert!(listed[0].contains(&format!("**{id}** · bitcoin (market) goes below 30000 USD · last 31000 USD")), "{listed:?}");
        assert!(app.say(&bob, "watches").await[0].starts_with("There are no price watches here."));

        // A minute on, the polling trigger fetches: still above, nothing said.
        app.advance(Duration::seconds(60));
        server.wait_for_requests("bitcoin", 2).await;
        settle().await;
        assert!(proactive_texts(&app, &ana).is_empty());

        server.price("bitcoin", "29500.50");
        app.advance(Duration::seconds(60));
        let alerts = wait_for_alerts(&app, &ana, 1).await;
        assert!(
            alerts[0].starts_with("🔔 **bitcoin** (market) is at 29500.5 USD: you asked to hear when it goes below 30000 USD. Since the watch began: -4.8% (from 31000 USD)."),
            "{alerts:?}"
        );
        // The sparkline of the prices seen: high, high, low.
        assert!(alerts[0].ends_with("\n\n██▁"), "{alerts:?}");
        assert!(proactive_texts(&app, &bob).is_empty(), "only the conversation that asked");

        // A one-shot watch is done: listed no more, and its poll stops
        // without fetching for nobody.
        assert!(app.say(&ana, "watches").await[0].starts_with("There are no price watches here."));
        app.advance(Duration::seconds(60));
        wait_for_no_polls(&app).await;
        app.advance(Duration::seconds(60));
        settle().await;
        assert_eq!(server.requests_for("bitcoin"), 3, "nobody watches: no fetch");
        assert_eq!(proactive_texts(&app, &ana).len(), 1);
    }
}

on_both_backends! {
    async fn many_watchers_of_one_symbol_share_one_fetch_per_interval(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        let app = app_with_market(&db, &server).await;
        let watchers: Vec<Conversation> = (0..25).map(|n| app.conversation(&format!("w{n}"))).collect();
        for (n, watcher) in watchers.iter().enumerate() {
            let echo = app.say(watcher, &format!("watch bitcoin below {}", 30_000 - n)).await;
            assert!(echo[0].starts_with("I'm watching bitcoin"), "{echo:?}");
        }
        assert_eq!(server.requests_for("bitcoin"), 1, "the first fetch served every watch set within the interval");
        for minute in 1..=3 {
            app.advance(Duration::seconds(60));
            server.wait_for_requests("bitcoin", 1 + minute).await;
        }
        settle().await;
        assert_eq!(server.requests_for("bitcoin"), 4, "one fetch a minute for 25 watches");

        // Down to 29,990: the ten watches with a line above it alert, at once.
        server.price("bitcoin", "29990");
        app.advance(Duration::seconds(60));
        for watcher in &watchers[..10] {
            wait_for_alerts(&app, watcher, 1).await;
        }
        settle().await;
        for watcher in &watchers[10..] {
            assert!(proactive_texts(&app, watcher).is_empty(), "{} alerted", watcher.id);
        }
        assert_eq!(server.requests_for("bitcoin"), 5);
    }
}

on_both_backends! {
    async fn unknown_sources_and_symbols_are_refused_at_once(db: TestDatabase) {
        let server = PriceServer::start().await;
        let app = app_with_market(&db, &server).await;
        let ana = app.conversation("unknown");
        let refused = app.say(&ana, "watch dogecoinz below 1").await;
        assert_eq!(refused, ["market gave me no price for \"dogecoinz\" (no price at /dogecoinz/usd in the answer), so I haven't set the watch."]);
        let refused = app.say(&ana, "watch nowhere bitcoin below 1").await;
        assert_eq!(refused, ["I don't know the price source \"nowhere\". I know: market."]);
        let unclear = app.say(&ana, "watch bitcoin sideways").await;
        assert!(unclear[0].starts_with("I didn't understand that watch."), "{unclear:?}");
        assert!(app.say(&ana, "watches").await[0].starts_with("There are no price watches here."));
        let stop = app.say(&ana, "unwatch 99").await;
        assert_eq!(stop, ["There is no price watch 99 here. Say `watches` to see them."]);
    }
}

on_both_backends! {
    async fn a_repeating_watch_does_not_storm_when_the_price_wobbles(db: TestDatabase) {
        let app = spawn_app_with(&db, crate::helpers::FakeConnector::start().await, |_| {}).await;
        let ana = app.conversation("wobble");
        let (status, _) = push(&app, json!({"source": "shop", "symbol": "sku-1", "price": "25.00", "currency": "EUR"})).await;
        assert_eq!(status, 200);
        let echo = app.say(&ana, "watch shop sku-1 below 20 eur repeat").await;
        assert!(echo[0].starts_with("I'm watching sku-1 (shop) for you: I'll tell you when it goes below 20 EUR (now 25 EUR)."), "{echo:?}");

        // Around the line, a minute apart: one alert, however often it crosses.
        for price in ["19.90", "20.05", "19.95", "20.10", "19.80", "20.02", "19.99"] {
            let (status, body) = push(&app, json!({"source": "shop", "symbol": "sku-1", "price": price, "currency": "eur"})).await;
            assert_eq!(status, 200, "{body}");
            app.advance(Duration::minutes(1));
        }
        let alerts = wait_for_alerts(&app, &ana, 1).await;
        assert!(alerts[0].starts_with("🔔 **sku-1** (shop) is at 19.9 EUR"), "{alerts:?}");
        settle().await;
        assert_eq!(proactive_texts(&app, &ana).len(), 1, "no storm");

        // Back above the line by more than the hysteresis (1%): re-armed, but
        // the cooldown (15 min) still holds the next alert back.
        push(&app, json!({"source": "shop", "symbol": "sku-1", "price": "20.50", "currency": "eur"})).await;
        app.advance(Duration::minutes(1));
        push(&app, json!({"source": "shop", "symbol": "sku-1", "price": "19.50", "currency": "eur"})).await;
        settle().await;
        assert_eq!(proactive_texts(&app, &ana).len(), 1, "within the cooldown");
        app.advance(Duration::minutes(10));
        push(&app, json!({"source": "shop", "symbol": "sku-1", "price": "19.40", "currency": "eur"})).await;
        let alerts = wait_for_alerts(&app, &ana, 2).await;
        assert!(alerts[1].starts_with("🔔 **sku-1** (shop) is at 19.4 EUR"), "{alerts:?}");
        // Still listed: a repeating watch goes on.
        assert!(app.say(&ana, "watches").await[0].starts_with("**Price watches** (1)"));
    }
}

on_both_backends! {
    async fn relative_rules_and_new_lows_alert_from_the_price_at_the_start(db: TestDatabase) {
        let app = spawn_app_with(&db, crate::helpers::FakeConnector::start().await, |_| {}).await;
        let ana = app.conversation("relative");
        push(&app, json!({"source": "feed", "symbol": "AAPL", "price": 200})).await;
        for ask in [
            "alert me when feed AAPL drops 20%",
            "alert me when feed AAPL rises 10%",
            "watch feed AAPL changes by 15%",
            "watch feed AAPL new low",
        ] {
            let echo = app.say(&ana, ask).await;
            assert!(echo[0].starts_with("I'm watching AAPL (feed)"), "{ask}: {echo:?}");
        }
        let (status, body) = push(&app, json!({"source": "feed", "symbol": "AAPL", "price": 190})).await;
        assert_eq!(status, 200);
        assert_eq!(body, json!({"accepted": 1, "watchesEvaluated": 4, "alerts": 1}), "only the new low");
        let (_, body) = push(&app, json!({"source": "feed", "symbol": "AAPL", "price": "159.99"})).await;
        assert_eq!(body["alerts"], 2, "drops 20% and changes by 15%; not a second new low from a one-shot");
        let (_, body) = push(&app, json!({"source": "feed", "symbol": "AAPL", "price": 221})).await;
        assert_eq!(body["alerts"], 1, "rises 10%");
        let alerts = wait_for_alerts(&app, &ana, 4).await;
        assert!(alerts[0].contains("when it hits a new low. Since the watch began: -5% (from 200)."), "{alerts:?}");
        assert!(alerts.iter().any(|a| a.contains("is at 159.99: you asked to hear when it drops 20%. Since the watch began: -20% (from 200).")), "{alerts:?}");
        assert!(alerts.iter().any(|a| a.contains("when it changes by 15%")), "{alerts:?}");
        assert!(alerts[3].contains("is at 221: you asked to hear when it rises 10%. Since the watch began: +10.5% (from 200)."), "{alerts:?}");
        assert!(app.say(&ana, "watches").await[0].starts_with("There are no price watches here."));
    }
}

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
    async fn slow_oversized_and_garbage_answers_are_refused(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.answer("slowcoin", PriceAnswer::Slow(std::time::Duration::from_secs(5), "1".to_owned()));
        server.answer("bigcoin", PriceAnswer::Huge(200_000));
        server.answer("junkcoin", PriceAnswer::Garbage);
        server.answer("downcoin", PriceAnswer::Status(503));
        let app = spawn_app_with(&db, crate::helpers::FakeConnector::start().await, |settings| {
            market(&server)(settings);
            settings.prices.fetch_timeout_ms = 300;
            settings.prices.max_response_bytes = 65_536;
        })
        .await;
        let ana = app.conversation("bad-sources");
        let slow = app.say(&ana, "watch slowcoin above 2").await;
        assert_eq!(slow, ["market gave me no price for \"slowcoin\" (the source did not answer in time), so I haven't set the watch."]);
        let big = app.say(&ana, "watch bigcoin above 2").await;
        assert_eq!(big, ["market gave me no price for \"bigcoin\" (the answer is larger than 65536 bytes), so I haven't set the watch."]);
        let junk = app.say(&ana, "watch junkcoin above 2").await;
        assert_eq!(junk, ["market gave me no price for \"junkcoin\" (the answer is not JSON), so I haven't set the watch."]);
        let down = app.say(&ana, "watch downcoin above 2").await;
        assert_eq!(down, ["market gave me no price for \"downcoin\" (the source answered 503), so I haven't set the watch."]);
        // Said in the asker's language, the reason too.
        let mut french = ana.message("préviens-moi quand junkcoin passe au-dessus de 2");
        french["locale"] = json!("fr-FR");
        app.send(&french).await;
        assert_eq!(
            app.replies_to(&french),
            ["market ne m'a donné aucun prix pour « junkcoin » (la réponse n'est pas du JSON), je n'ai donc pas créé l'alerte."]
        );
        assert!(app.say(&ana, "watches").await[0].starts_with("There are no price watches here."));
    }
}

on_both_backends! {
    async fn private_addresses_are_never_fetched_by_name_or_redirect(db: TestDatabase) {
        let server = PriceServer::start().await;
        // Names resolve through the test's table only; nothing here is ever
        // connected to but the server on loopback.
        let names = [("prices.internal", "10.20.30.40"), ("metadata.internal", "169.254.169.254"), ("mixed.test", "192.168.1.1")];
        server.answer("tometadata", PriceAnswer::Redirect("http://169.254.169.254/latest/meta-data/".to_owned()));
        server.answer("toname", PriceAnswer::Redirect("http://prices.internal/price?ids=x".to_owned()));
        server.answer("toports", PriceAnswer::Redirect(format!("http://127.0.0.1:{}/admin", server.port + 1)));
        let app = spawn_app_resolving(&db, &names, |settings| {
            market(&server)(settings);
            settings.prices.sources.push(source("internal", "http://prices.internal/price?ids={symbol}"));
            settings.prices.sources.push(source("mixed", "http://mixed.test/price?ids={symbol}"));
        })
        .await;
        let ana = app.conversation("ssrf");
        for (ask, reason) in [
            ("watch tometadata above 1", "169.254.169.254 is not an address Herald may fetch"),
            ("watch toname above 1", "prices.internal resolves only to addresses Herald may not fetch"),
            ("watch toports above 1", "127.0.0.1 is not an address Herald may fetch"),
            ("watch internal bitcoin above 1", "prices.internal resolves only to addresses Herald may not fetch"),
            ("watch mixed bitcoin above 1", "mixed.test resolves only to addresses Herald may not fetch"),
        ] {
            let refused = app.say(&ana, ask).await;
            assert!(refused[0].contains("gave me no price"), "{ask}: {refused:?}");
            assert!(refused[0].contains(reason), "{ask}: {refused:?} should say {reason:?}");
        }
    }
}

#[test]
fn a_configured_source_on_a_private_address_is_refused_at_start() {
    let mut settings = Settings::defaults();
    settings.prices.sources = vec![source("lan", "http://192.168.0.10:8080/p?s={symbol}")];
    let problems = settings.validate().unwrap_err().to_string();
    assert!(
        problems.contains("prices.sources `lan`: 192.168.0.10 is not an address Herald may fetch"),
        "{problems}"
    );
    settings.prices.allow_private = vec!["192.168.0.10:8080".to_owned()];
    settings
        .validate()
        .expect("allowed explicitly, for that port");
    settings.prices.sources = vec![source("lan", "http://192.168.0.10:9090/p?s={symbol}")];
    assert!(settings.validate().is_err(), "another port is not allowed");
}

on_both_backends! {
    async fn a_failing_source_stalls_its_watches_once_and_says_when_it_is_back(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        let app = spawn_app_with(&db, crate::helpers::FakeConnector::start().await, |settings| {
            market(&server)(settings);
            settings.prices.failures_before_stalled = 3;
        })
        .await;
        let ana = app.conversation("stall");
        app.say(&ana, "watch bitcoin below 20000").await;
        server.answer("bitcoin", PriceAnswer::Garbage);
        // Failures back the source off (30 s, 1 min, 2 min …): polls far apart
        // so each is tried.
        for attempt in 1..=6 {
            app.advance(Duration::minutes(30));
            server.wait_for_requests("bitcoin", 1 + attempt).await;
        }
        wait_for_alerts(&app, &ana, 1).await;
        settle().await;
        let said = proactive_texts(&app, &ana);
        assert_eq!(said.len(), 1, "told once: {said:?}");
        let told = &said[0];
        assert!(told.starts_with("⚠️ I can't get prices from market any more (the answer is not JSON), so your watch"), "{told}");
        assert!(app.say(&ana, "watches").await[0].contains("· _stalled_"));

        server.price("bitcoin", "30000");
        app.advance(Duration::minutes(30));
        let said = wait_for_alerts(&app, &ana, 2).await;
        assert!(said[1].starts_with("✅ market answers again: your watch"), "{said:?}");
        app.advance(Duration::minutes(30));
        server.wait_for_requests("bitcoin", 9).await;
        settle().await;
        assert_eq!(proactive_texts(&app, &ana).len(), 2);
    }
}

on_both_backends! {
    async fn a_symbol_the_source_stops_pricing_stalls_its_watches_once(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        server.price("ethereum", "2000");
        let app = spawn_app_with(&db, crate::helpers::FakeConnector::start().await, |settings| {
            market(&server)(settings);
            settings.prices.failures_before_stalled = 3;
        })
        .await;
        let ana = app.conversation("delisted");
        app.say(&ana, "watch bitcoin below 20000").await;
        app.say(&ana, "watch ethereum above 5000").await;
        // The source answers, without bitcoin (delisted): not the source's
        // failure, so no backoff; a poll every minute.
        server.forget("bitcoin");
        for poll in 1..=5 {
            app.advance(Duration::minutes(1));
            server.wait_for_requests("bitcoin", 1 + poll).await;
            server.wait_for_requests("ethereum", 1 + poll).await;
        }
        let said = wait_for_alerts(&app, &ana, 1).await;
        settle().await;
        assert_eq!(proactive_texts(&app, &ana).len(), 1, "told once: {said:?}");
        assert!(
            said[0].starts_with("⚠️ market no longer gives a price for bitcoin (no price at /bitcoin/usd in the answer), so your watch"),
            "{said:?}"
        );
        let listed = app.say(&ana, "watches").await;
        let stalled: Vec<&str> = listed[0].lines().filter(|line| line.contains("· _stalled_")).collect();
        assert_eq!(stalled.len(), 1, "only bitcoin's watch: {listed:?}");
        assert!(stalled[0].contains("bitcoin"), "{listed:?}");

        // Listed again, below the threshold: it goes on, and alerts.
        server.price("bitcoin", "19000");
        app.advance(Duration::minutes(1));
        let said = wait_for_alerts(&app, &ana, 3).await;
        assert!(said[1].starts_with("✅ market has a price for bitcoin again: your watch"), "{said:?}");
        assert!(said[2].contains("19000"), "the alert: {said:?}");
        assert!(!app.say(&ana, "watches").await[0].contains("_stalled_"));
    }
}

on_both_backends! {
    async fn a_delisted_symbol_stays_stalled_when_its_failing_source_recovers(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        server.price("ethereum", "2000");
        let app = spawn_app_with(&db, crate::helpers::FakeConnector::start().await, |settings| {
            market(&server)(settings);
            settings.prices.failures_before_stalled = 2;
        })
        .await;
        let ana = app.conversation("delisted-then-down");
        app.say(&ana, "watch bitcoin below 20000").await;
        app.say(&ana, "watch ethereum above 5000").await;
        server.forget("bitcoin");
        for poll in 1..=2 {
            app.advance(Duration::minutes(1));
            server.wait_for_requests("ethereum", 1 + poll).await;
        }
        let said = wait_for_alerts(&app, &ana, 1).await;
        assert!(said[0].contains("no longer gives a price for bitcoin"), "{said:?}");

        // The whole source fails, then answers again — still without bitcoin.
        // (A failure backs the source off: of each round of polls, the first
        // is tried and the other waits.)
        server.answer("bitcoin", PriceAnswer::Garbage);
        server.answer("ethereum", PriceAnswer::Garbage);
        let asked = server.requests_for("bitcoin") + server.requests_for("ethereum");
        for round in 1..=3 {
            app.advance(Duration::minutes(30));
            server.wait_for_any_requests(asked + round).await;
        }
        let said = wait_for_alerts(&app, &ana, 2).await;
        assert!(said[1].contains("can't get prices from market") && said[1].contains("ethereum"), "{said:?}");
        server.forget("bitcoin");
        server.price("ethereum", "2100");
        app.advance(Duration::minutes(30));
        let said = wait_for_alerts(&app, &ana, 3).await;
        assert!(said[2].starts_with("✅ market answers again") && said[2].contains("ethereum"), "{said:?}");
        settle().await;
        // Bitcoin's watch was told nothing: it is stalled as it was.
        assert_eq!(proactive_texts(&app, &ana).len(), 3, "{:?}", proactive_texts(&app, &ana));
        let listed = app.say(&ana, "watches").await;
        let stalled: Vec<&str> = listed[0].lines().filter(|line| line.contains("· _stalled_")).collect();
        assert_eq!(stalled.len(), 1, "{listed:?}");
        assert!(stalled[0].contains("bitcoin"), "{listed:?}");
    }
}

on_both_backends! {
    async fn watches_belong_to_whoever_set_them_and_speak_their_language(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        let app = app_with_market(&db, &server).await;
        let ana = app.conversation("owners");
        let mut bob = ana.clone();
        bob.user_id = "user-bob".to_owned();
        let group = |conversation: &Conversation, text: &str, name: &str, locale: &str| {
            let mut activity = conversation.message(text);
            activity["conversation"]["isGroup"] = json!(true);
            activity["conversation"]["conversationType"] = json!("groupChat");
            activity["from"]["name"] = json!(name);
            activity["locale"] = json!(locale);
            activity
        };
        let said = |activity: Value| {
            let app = &app;
            async move {
                app.send(&activity).await;
                app.replies_to(&activity)
            }
        };
        let echo = said(group(&ana, "avise-me quando bitcoin cair abaixo de 30000 usd", "Ana", "pt-BR")).await;
        assert!(echo[0].starts_with("Estou de olho em bitcoin (market): aviso quando ficar abaixo de 30000 USD (agora 31000 USD)."), "{echo:?}");
        let id = id_in(&echo[0]);
        let refused = said(group(&bob, &format!("unwatch {id}"), "Bob", "en-US")).await;
        assert_eq!(refused, [format!("Watch {id} belongs to Ana; only they can stop it.")]);
        let listed = said(group(&bob, "watches", "Bob", "en-US")).await;
        assert!(listed[0].contains("· set by Ana"), "{listed:?}");
        let french = said(group(&bob, "préviens-moi quand bitcoin passe au-dessus de 40000", "Bob", "fr-FR")).await;
        assert!(french[0].starts_with("Je surveille bitcoin (market) pour toi : je te préviendrai quand il passe au-dessus de 40000 USD"), "{french:?}");
        let stopped = said(group(&ana, &format!("parar alerta {id}"), "Ana", "pt-BR")).await;
        assert_eq!(stopped, [format!("Alerta {id} parado.")]);
        let listed = said(group(&bob, "alertes", "Bob", "fr-FR")).await;
        assert!(listed[0].starts_with("**Alertes de prix** (1)"), "{listed:?}");

        // A redelivered activity sets nothing twice.
        let again = group(&ana, "watch bitcoin above 50000", "Ana", "en-US");
        app.send(&again).await;
        app.send(&again).await;
        assert_eq!(app.replies_to(&again).len(), 1);
        let listed = said(group(&bob, "watches", "Bob", "en-US")).await;
        assert!(listed[0].starts_with("**Price watches** (2)"), "{listed:?}");
    }
}

on_both_backends! {
    async fn herald_s_own_channel_takes_no_activities(db: TestDatabase) {
        let app = spawn_app_with(&db, crate::helpers::FakeConnector::start().await, |_| {}).await;
        let mut activity = app.conversation("intruder").message("watch bitcoin below 1");
        activity["channelId"] = json!("herald");
        activity["conversation"]["id"] = json!("prices/market");
        let (status, body) = app.post(&activity).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.to_string().contains("channelId"), "{body}");
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

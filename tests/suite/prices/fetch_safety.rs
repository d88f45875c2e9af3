//! Sources that misbehave when a watch is set — slow, oversized, garbage or
//! failing answers — and private addresses, never fetched whether named,
//! resolved or redirected to.

use herald::config::Settings;
use serde_json::json;

use crate::helpers::{
    PriceAnswer, PriceServer, market, price_source as source, spawn_app_resolving, spawn_app_with,
};
use crate::on_both_backends;

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

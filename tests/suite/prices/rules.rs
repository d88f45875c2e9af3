//! Watch rules: repeating watches with hysteresis and cooldown, relative
//! moves and new lows measured from the price at the start.

use chrono::Duration;
use serde_json::json;

use super::{proactive_texts, push, settle, wait_for_alerts};
use crate::helpers::spawn_app_with;
use crate::on_both_backends;

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

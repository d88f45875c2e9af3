//! Watches set, listed and stopped in chat: the alert in the conversation
//! that asked, refusals of unknown sources and symbols, owners and languages
//! in group chats, and Herald's own channel closed to activities.

use chrono::Duration;
use serde_json::{Value, json};

use super::{app_with_market, id_in, proactive_texts, settle, wait_for_alerts, wait_for_no_polls};
use crate::helpers::{Conversation, PriceServer, spawn_app_with};
use crate::on_both_backends;

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
        wait_for_no_polls(&db).await;
        app.advance(Duration::seconds(60));
        settle().await;
        assert_eq!(server.requests_for("bitcoin"), 3, "nobody watches: no fetch");
        assert_eq!(proactive_texts(&app, &ana).len(), 1);
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
    // Price polls once lived in made-up conversations on a channel named
    // `herald`; they are the engine's own triggers now, so the name is an
    // ordinary channel's and nothing of the polls is reachable through it.
    async fn a_channel_named_herald_is_an_ordinary_channel(db: TestDatabase) {
        let app = spawn_app_with(&db, crate::helpers::FakeConnector::start().await, |_| {}).await;
        let mut activity = app.conversation("someone").message("watches");
        activity["channelId"] = json!("herald");
        activity["conversation"]["id"] = json!("prices/market");
        let (status, body) = app.post(&activity).await;
        assert_eq!(status, 200, "{body}");
        let replies = app.replies_to(&activity);
        assert_eq!(replies.len(), 1, "{replies:?}");
        assert!(db.price_polls().await.is_empty());
    }
}

//! `forget me`, confirmed by a button, in English, Portuguese and French.

use serde_json::json;

use crate::helpers::spawn_app;
use crate::on_both_backends;

on_both_backends! {
    async fn forget_me_asks_first_then_deletes_the_users_data(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("private");
        app.say(&a, "run").await;
        app.say(&a, "run").await;

        let ask = a.message("forget me");
        app.send(&ask).await;
        let card = app.connector.wait_for("the confirmation card", |r| r.reply_to_id.as_deref() == ask["id"].as_str()).await;
        let actions = &card.activity["attachments"][0]["content"]["actions"];
        assert_eq!(actions[0]["type"], "Action.Submit");
        assert_eq!(actions[0]["title"], "Yes, forget me");

        // "Cancel" keeps everything.
        let mut cancel = a.message("");
        cancel["value"] = actions[1]["data"].clone();
        app.send(&cancel).await;
        assert_eq!(app.replies_to(&cancel), vec!["Alright, I have forgotten nothing."]);
        assert!(app.say(&a, "show").await[0].contains("(2 jobs)"));

        // "Yes", as Teams sends it (with fields of its own).
        let mut confirm = a.message("");
        confirm.as_object_mut().unwrap().remove("text");
        let mut data = actions[0]["data"].clone();
        data["msteams"] = json!({"type": "messageBack"});
        confirm["value"] = data;
        app.send(&confirm).await;
        let done = app.replies_to(&confirm);
        assert!(done[0].starts_with("Done: in this channel (`emulator`) I deleted 2 items"), "{}", done[0]);
        assert_eq!(app.say(&a, "show").await, vec!["The job log is empty."]);
        // Talking again starts afresh, and works.
        assert_eq!(app.say(&a, "run").await, vec!["We're starting job 3 for you. We'll notify you when it's complete."]);
    }
}

on_both_backends! {
    async fn forget_me_speaks_the_language_it_was_asked_in(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("langues");
        for (phrase, question, button) in [
            ("esqueça-me", "Esquecer você neste canal?", "Sim, esqueça-me"),
            ("oublie-moi", "Vous oublier dans ce canal ?", "Oui, oubliez-moi"),
        ] {
            let ask = a.message(phrase);
            app.send(&ask).await;
            let card = app.connector.wait_for(phrase, |r| r.reply_to_id.as_deref() == ask["id"].as_str()).await;
            assert!(card.text().starts_with(question), "{}", card.text());
            assert_eq!(card.activity["attachments"][0]["content"]["actions"][0]["title"], button);
        }
        let mut non = a.message("");
        non["value"] = json!({"herald": "forgetMe", "confirm": false, "lang": "fr"});
        app.send(&non).await;
        assert_eq!(app.replies_to(&non), vec!["D'accord, je n'ai rien oublié."]);
    }
}

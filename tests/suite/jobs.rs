//! The seed's walkthrough over real HTTP: welcome, `run`, `show`, `done`, the
//! completion events, and who may see which jobs.

use serde_json::json;

use crate::helpers::{Conversation, FakeConnector, spawn_app, spawn_app_with};
use crate::on_both_backends;

on_both_backends! {
    async fn newcomers_are_welcomed_but_not_the_bot(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let conversation = app.conversation("welcome");
        let bot_only = conversation.members_added(json!([{"id": "herald-bot", "name": "Herald"}]));
        app.send(&bot_only).await;
        assert!(app.replies_to(&bot_only).is_empty(), "no welcome for the bot itself");

        let both = conversation.members_added(json!([
            {"id": "herald-bot", "name": "Herald"},
            {"id": "user-welcome", "name": "Ana"}
        ]));
        app.send(&both).await;
        let replies = app.replies_to(&both);
        assert_eq!(replies.len(), 1);
        assert!(replies[0].starts_with("Welcome, Ana!"), "{}", replies[0]);
        for command in ["`run`", "`show`", "`done <id>`"] {
            assert!(replies[0].contains(command), "{command} missing: {}", replies[0]);
        }
    }
}

on_both_backends! {
    async fn the_seed_walkthrough_notifies_the_job_conversation_only(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("A");
        let b = app.conversation("B");

        let first = app.say(&a, "run").await;
        assert_eq!(first, vec!["We're starting job 1 for you. We'll notify you when it's complete."]);
        let second = app.say(&a, "run job").await;
        assert_eq!(second, vec!["We're starting job 2 for you. We'll notify you when it's complete."]);

        let log = app.say(&b, "show").await;
        assert_eq!(log.len(), 1);
        let a_label = a.id.split('|').next().unwrap();
        assert!(log[0].contains(&format!("Job **1** · conversation `{a_label}` · pending")), "{}", log[0]);
        assert!(log[0].contains(&format!("Job **2** · conversation `{a_label}` · pending")), "{}", log[0]);

        let done = app.say(&b, "done 2").await;
        assert_eq!(done, vec!["Job 2 completed. Notification sent to its conversation."]);
        let notice = app
            .connector
            .wait_for("the proactive message in A", |r| r.is_proactive() && r.conversation_id == a.id)
            .await;
        assert_eq!(notice.text(), "Your queued job 2 just completed.");
        // Addressed as a proactive message: from the bot, to A's user, in A.
        assert_eq!(notice.activity["from"]["id"], "herald-bot");
        assert_eq!(notice.activity["recipient"]["id"], a.user_id.as_str());
        assert_eq!(notice.activity["conversation"]["id"], a.id.as_str());
        // The `|` of the Emulator's conversation id travels percent-encoded.
        assert!(notice.raw_path.contains("%7Clivechat"), "{}", notice.raw_path);
        assert!(app.connector.to(&b.id).iter().all(|r| !r.is_proactive()), "nothing proactive in B");

        assert_eq!(app.say(&b, "done 2").await, vec!["Job 2 is already complete."]);
        assert_eq!(app.say(&b, "done 77").await, vec!["There is no job 77."]);
        assert_eq!(app.say(&b, "done").await, vec!["Enter the job id after `done`, for example `done 3`."]);
        assert_eq!(app.say(&b, "done soon").await, vec!["Enter the job id after `done`, for example `done 3`."]);

        let log = app.say(&b, "show jobs").await;
        assert!(log[0].contains("Job **2** · conversation"), "{}", log[0]);
        assert!(log[0].contains("· completed"), "{}", log[0]);
        let proactive_in_a = app.connector.to(&a.id).into_iter().filter(|r| r.is_proactive()).count();
        assert_eq!(proactive_in_a, 1, "notified exactly once");
    }
}

on_both_backends! {
    async fn replies_are_addressed_as_the_sdks_do(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("addr");
        let activity = a.message("run");
        app.send(&activity).await;
        let reply = app.connector.wait_for("the reply", |r| r.reply_to_id.is_some()).await;
        assert_eq!(reply.reply_to_id.as_deref(), activity["id"].as_str());
        assert_eq!(reply.activity["replyToId"], activity["id"]);
        assert_eq!(reply.activity["type"], "message");
        assert_eq!(reply.activity["from"]["id"], "herald-bot");
        assert_eq!(reply.activity["recipient"]["id"], a.user_id.as_str());
        assert_eq!(reply.activity["conversation"]["id"], a.id.as_str());
        assert_eq!(reply.activity["locale"], "en-US");
    }
}

on_both_backends! {
    async fn completion_events_from_both_samples_complete_jobs(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("A");
        let system = app.conversation("jobsystem");
        app.say(&a, "run").await;
        app.say(&a, "run").await;

        // JavaScript sample: `jobCompleted` with a string value.
        let js = system.event("jobCompleted", json!("1"));
        app.send(&js).await;
        assert_eq!(app.replies_to(&js), vec!["Job 1 completed. Notification sent to its conversation."]);
        // C# sample: `jobComplete` with a numeric value.
        let cs = system.event("jobComplete", json!(2));
        app.send(&cs).await;
        assert_eq!(app.replies_to(&cs), vec!["Job 2 completed. Notification sent to its conversation."]);

        for job in ["Your queued job 1 just completed.", "Your queued job 2 just completed."] {
            app.connector.wait_for(job, |r| r.is_proactive() && r.conversation_id == a.id && r.text() == job).await;
        }

        let bad = system.event("jobCompleted", json!({"id": 1}));
        app.send(&bad).await;
        assert_eq!(app.replies_to(&bad), vec!["A job completion event needs the job id as its value."]);
        let other = system.event("somethingElse", json!(1));
        app.send(&other).await;
        assert!(app.replies_to(&other).is_empty());
    }
}

on_both_backends! {
    async fn anything_else_gets_a_hint_and_teams_mentions_are_ignored(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("hint");
        let hint = app.say(&a, "what can you do").await;
        assert!(hint[0].starts_with("I didn't understand that."), "{}", hint[0]);
        assert!(hint[0].contains("`done <id>`"));
        // A greeting is not a puzzle: hello back, in the speaker's language.
        let hello = app.say(&a, "Hi Herald!").await;
        assert_eq!(hello, ["Hello! What can I do for you? `help` lists what I can do."]);
        let mut bom_dia = a.message("bom dia");
        bom_dia["locale"] = json!("pt-BR");
        app.send(&bom_dia).await;
        let replies = app.replies_to(&bom_dia);
        assert_eq!(replies, ["Olá! Em que posso ajudar? `ajuda` mostra o que posso fazer."]);
        let run = app.say(&a, "<at>Herald</at> run").await;
        assert_eq!(run, vec!["We're starting job 1 for you. We'll notify you when it's complete."]);
    }
}

on_both_backends! {
    async fn a_redelivered_activity_is_acknowledged_but_not_handled_again(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("retry");
        let run = a.message("run");
        app.send(&run).await;
        app.send(&run).await;
        assert_eq!(app.replies_to(&run).len(), 1, "the retry is not answered again");
        let log = app.say(&a, "show").await;
        assert!(log[0].starts_with("**Job log** (1 job)"), "{}", log[0]);

        // Two different activities in the same instant are two jobs.
        let (x, y) = (a.message("run"), a.message("run"));
        let (first, second) = tokio::join!(app.post(&x), app.post(&y));
        assert_eq!((first.0, second.0), (200, 200));
        let log = app.say(&a, "show").await;
        assert!(log[0].starts_with("**Job log** (3 jobs)"), "{}", log[0]);

        // A redelivered `done` does not notify twice.
        let done = a.message("done 1");
        app.send(&done).await;
        app.send(&done).await;
        app.connector.wait_for("the notification", |r| r.is_proactive()).await;
        assert_eq!(app.replies_to(&done).len(), 1);
    }
}

on_both_backends! {
    async fn long_job_logs_are_paged(db: TestDatabase) {
        let app = spawn_app(&db).await;
        let a = app.conversation("pages");
        for _ in 0..45 {
            app.say(&a, "run").await;
        }
        let first = app.say(&a, "show").await;
        assert_eq!(first[0].matches("- Job **").count(), 20);
        assert!(first[0].contains("page 1 of 3"), "{}", first[0]);
        assert!(first[0].contains("Say `show 2` for the next page."));
        let third = app.say(&a, "show jobs 3").await;
        assert_eq!(third[0].matches("- Job **").count(), 5);
        assert!(third[0].contains("Job **45**"));
        assert!(!third[0].contains("next page"));
        let beyond = app.say(&a, "show 9").await;
        assert!(beyond[0].contains("There is no page 9"), "{}", beyond[0]);
        assert!(first[0].len() < 4000, "a page stays well within message limits");
    }
}

on_both_backends! {
    async fn restricted_visibility_confines_conversations_to_their_jobs(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let app = spawn_app_with(&db, connector, |s| {
            s.jobs.visibility = herald::config::VisibilitySetting::Conversation;
            s.jobs.operators = vec!["emulator:aad-operator".into()];
        })
        .await;
        let a = app.conversation("A");
        let b = app.conversation("B");
        app.say(&a, "run").await;

        assert_eq!(app.say(&b, "show").await, vec!["The job log is empty."]);
        assert_eq!(app.say(&b, "done 1").await, vec!["There is no job 1."]);
        assert!(app.say(&a, "show").await[0].contains("Job **1**"));

        // The operator's id claimed from another channel grants nothing.
        let elsewhere = Conversation::on_channel("C", &app.connector.url, "directline");
        let mut impostor = elsewhere.message("done 1");
        impostor["from"]["id"] = json!("aad-operator");
        impostor["from"]["aadObjectId"] = json!("aad-operator");
        app.send(&impostor).await;
        assert_eq!(app.replies_to(&impostor), vec!["There is no job 1."]);

        // An operator, recognised by the aadObjectId, sees and completes everything.
        let mut operator = b.message("done 1");
        operator["from"]["aadObjectId"] = json!("aad-operator");
        app.send(&operator).await;
        assert_eq!(app.replies_to(&operator), vec!["Job 1 completed. Notification sent to its conversation."]);
        app.connector.wait_for("A's notification", |r| r.is_proactive() && r.conversation_id == a.id).await;
    }
}

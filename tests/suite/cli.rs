//! The `herald` command line as deployments use it: settings checks, `config`,
//! `migrate`, and a graceful stop on SIGTERM with a turn in flight.

use std::time::Duration;

use crate::helpers::{
    ConnectorBehaviour, Conversation, FakeConnector, HeraldProcess, herald_command, output,
};
use crate::on_both_backends;

on_both_backends! {
    async fn config_prints_effective_settings_without_secrets(db: TestDatabase) {
        let (ok, text) = output(
            herald_command(&db)
                .arg("config")
                .env("MicrosoftAppPassword", "s3cret-value")
                .env("PORT", "4567"),
        )
        .await;
        assert!(ok, "{text}");
        assert!(text.contains("port = 4567"), "{text}");
        assert!(text.contains("app_password = \"[redacted]\""), "{text}");
        assert!(!text.contains("s3cret-value"));
        // The database password never prints either.
        let masked = herald::app::redact_url("postgres://herald:pw123@db/herald");
        assert!(!masked.contains("pw123"), "{masked}");
    }
}

#[tokio::test]
async fn config_prints_database_and_proxy_urls_without_their_passwords() {
    let db = crate::helpers::TestDatabase::sqlite().await;
    for (url, shown) in [
        (
            "postgres://herald:db-s3cret@db.example:5432/herald",
            "postgres://herald:***@db.example:5432/herald",
        ),
        (
            "postgres://herald@db.example/herald?password=db-s3cret",
            "postgres://herald@db.example/herald?password=***",
        ),
    ] {
        let (ok, text) = output(
            herald_command(&db)
                .arg("config")
                .env("DATABASE_URL", url)
                .env(
                    "HERALD__PRICES__PROXY",
                    "http://egress:db-s3cret@proxy.example:3128",
                ),
        )
        .await;
        assert!(ok, "{text}");
        assert!(!text.contains("db-s3cret"), "a password printed: {text}");
        // `.ci/run` looks for this line.
        assert!(text.contains(&format!("url = \"{shown}\"")), "{text}");
        assert!(
            text.contains("proxy = \"http://egress:***@proxy.example:3128/\""),
            "{text}"
        );
    }
}

on_both_backends! {
    async fn migrate_applies_migrations_and_exits(db: TestDatabase) {
        let (ok, text) = output(herald_command(&db).arg("migrate")).await;
        assert!(ok, "{text}");
        assert!(text.contains("migrations applied"), "{text}");
        let (ok, text) = output(herald_command(&db).arg("migrate")).await;
        assert!(ok, "running it again is harmless: {text}");
    }
}

on_both_backends! {
    async fn unsafe_settings_stop_herald_before_it_listens(db: TestDatabase) {
        let (ok, text) = output(herald_command(&db).args(["serve", "--bind", "0.0.0.0:0"])).await;
        assert!(!ok);
        assert!(text.contains("loopback"), "{text}");
        let (ok, text) = output(herald_command(&db).arg("serve").env("HERALD__CHAT__PAGE_SIZE", "0")).await;
        assert!(!ok);
        assert!(text.contains("chat.page_size"), "{text}");
        let (ok, text) = output(herald_command(&db).arg("serve").env("DATABASE_URL", "mysql://nope")).await;
        assert!(!ok);
        assert!(text.contains("database.url"), "{text}");
    }
}

on_both_backends! {
    async fn a_failing_command_says_why_once_on_stderr(db: TestDatabase) {
        let output = herald_command(&db)
            .args(["serve", "--bind", "0.0.0.0:0"])
            .output()
            .await
            .unwrap();
        assert!(!output.status.success());
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stdout.contains("loopback"), "the error is in the log too: {stdout}");
        assert_eq!(stderr.lines().filter(|line| line.starts_with("herald: ")).count(), 1, "{stderr}");
        assert!(stderr.contains("loopback"), "{stderr}");
    }
}

on_both_backends! {
    async fn a_start_with_the_default_log_filter_is_quiet_about_libraries(db: TestDatabase) {
        let mut herald = HeraldProcess::start_without(&db, &[], &["HERALD__LOG__FILTER"]).await;
        herald.wait_for_log("housekeeping started").await;
        let log = herald.log();
        assert!(
            log.iter().all(|line| !line.contains("tokio_cron_scheduler")),
            "the timer library's start-up lines: {log:#?}"
        );
        assert!(herald.terminate().await.success());
    }
}

on_both_backends! {
    async fn sigterm_finishes_the_turn_in_flight_then_exits(db: TestDatabase) {
        let connector = FakeConnector::start().await;
        let mut herald = HeraldProcess::start(&db, &[("HERALD__CHAT__REPLY_TIMEOUT_MS", "1500")]).await;
        let a = Conversation::new("term", &connector.url);
        // The reply hangs until its timeout, so the turn is still in flight at SIGTERM.
        connector.set_behaviour(ConnectorBehaviour::Hang);
        let client = reqwest::Client::new();
        let url = format!("{}/api/messages", herald.address);
        let activity = a.message("run");
        let turn = tokio::spawn(async move { client.post(url).json(&activity).send().await });
        tokio::time::sleep(Duration::from_millis(300)).await;
        let status = herald.terminate().await;
        let answer = turn.await.unwrap().expect("the turn in flight was answered");
        assert_eq!(answer.status().as_u16(), 200);
        assert!(status.success(), "{status:?}");
        herald.wait_for_log("SIGTERM received").await;
        herald.wait_for_log("Herald stopped").await;
    }
}

on_both_backends! {
    async fn api_key_prints_a_key_and_the_entry_that_admits_it(db: TestDatabase) {
        let (ok, text) = output(herald_command(&db).args(["api-key", "--name", "jobs", "--scope", "jobs:write"])).await;
        assert!(ok, "{text}");
        let key = text.split_whitespace().find(|w| w.starts_with("hk_")).expect("a key");
        let digest = text.split('"').find(|w| w.len() == 64).expect("a digest");
        assert_eq!(herald::domain::api_key::parse_digest(digest).map(hex_of), Some(digest.to_owned()));
        use sha2::Digest;
        assert_eq!(hex_of(sha2::Sha256::digest(key.as_bytes()).into()), digest);
        assert!(text.contains("scopes = [\"jobs:write\"]"), "{text}");
        let (ok, text) = output(herald_command(&db).args(["api-key", "--name", "x", "--scope", "everything"])).await;
        assert!(!ok);
        assert!(text.contains("unknown scope"), "{text}");
    }
}

fn hex_of(bytes: [u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

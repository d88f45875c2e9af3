//! Where Herald's outbound requests go when proxies are about: price fetches
//! never take a proxy from the environment (it would resolve and reach names
//! the address guard never sees), only `prices.proxy`; messages to the
//! channels keep the environment's proxy.

use crate::helpers::{
    Conversation, FakeConnector, HeraldProcess, PriceAnswer, PriceServer, RecordingProxy,
    price_source, spawn_app_with,
};
use crate::on_both_backends;

/// A `[[prices.sources]]` entry, as `config/local.toml` writes it.
fn source_toml(name: &str, url: &str) -> String {
    format!(
        "[[prices.sources]]\nname = \"{name}\"\nurl = \"{url}\"\npointer = \"/{{symbol}}/{{currency}}\"\ncurrency = \"usd\"\nrequests_per_minute = 1000\n\n"
    )
}

fn price_url(host: &str, port: u16) -> String {
    format!("http://{host}:{port}/price?ids={{symbol}}&vs={{currency}}")
}

/// Says `text` to a running `herald` and returns its replies.
async fn say(
    herald: &HeraldProcess,
    connector: &FakeConnector,
    to: &Conversation,
    text: &str,
) -> Vec<String> {
    let activity = to.message(text);
    let status = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{}/api/messages", herald.address))
        .json(&activity)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);
    let id = activity["id"].as_str().unwrap().to_owned();
    connector
        .wait_for("the reply", |r| r.reply_to_id.as_deref() == Some(&id))
        .await;
    connector
        .received()
        .into_iter()
        .filter(|r| r.reply_to_id.as_deref() == Some(&id))
        .map(|r| r.text().to_owned())
        .collect()
}

on_both_backends! {
    async fn a_proxy_in_the_environment_carries_no_price_fetch_past_the_guard(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        // Allowed on 127.0.0.1, it redirects to `localhost`, which is not.
        server.answer("hop", PriceAnswer::Redirect(format!("http://localhost:{}/price?ids=bitcoin&vs=usd", server.port)));
        let proxy = RecordingProxy::start().await;
        let connector = FakeConnector::start().await;
        let config = tempfile::tempdir().unwrap();
        let local = format!(
            "[prices]\ndefault_source = \"direct\"\nallow_private = [\"127.0.0.1:{port}\"]\n\n{}{}",
            source_toml("direct", &price_url("localhost", server.port)),
            source_toml("bounce", &price_url("127.0.0.1", server.port)),
            port = server.port,
        );
        std::fs::write(config.path().join("local.toml"), local).unwrap();
        let config_dir = config.path().to_str().unwrap();
        let mut env = vec![("HERALD_CONFIG_DIR", config_dir), ("HERALD__CHAT__REPLY_TIMEOUT_MS", "3000")];
        for name in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"] {
            env.push((name, proxy.url.as_str()));
        }
        let herald = HeraldProcess::start_without(&db, &env, &["NO_PROXY", "no_proxy"]).await;
        let ana = Conversation::new("proxied", &connector.url);

        for (ask, reason) in [
            ("watch direct bitcoin above 1", "localhost resolves only to addresses Herald may not fetch"),
            ("watch bounce hop above 1", "localhost resolves only to addresses Herald may not fetch"),
        ] {
            let refused = say(&herald, &connector, &ana, ask).await;
            assert!(refused[0].contains("gave me no price"), "{ask}: {refused:?}");
            assert!(refused[0].contains(reason), "{ask}: {refused:?} should say {reason:?}");
        }
        assert_eq!(server.requests_for("bitcoin"), 0, "localhost was never fetched");
        assert_eq!(server.requests_for("hop"), 1, "the allowed address was fetched directly");
        let seen = proxy.requests();
        assert!(seen.iter().all(|r| !r.contains("/price")), "a price fetch went to the proxy: {seen:?}");
        // Messages to the channel keep the environment's proxy.
        assert!(seen.iter().any(|r| r.starts_with("POST ") && r.contains("/v3/conversations/")), "{seen:?}");
    }
}

on_both_backends! {
    async fn prices_proxy_carries_every_price_fetch_and_nothing_else(db: TestDatabase) {
        let server = PriceServer::start().await;
        server.price("bitcoin", "31000");
        let proxy = RecordingProxy::start().await;
        let (url, proxy_url) = (price_url("localhost", server.port), proxy.url.clone());
        let app = spawn_app_with(&db, FakeConnector::start().await, move |settings| {
            settings.prices.proxy = proxy_url;
            settings.prices.default_source = "direct".to_owned();
            settings.prices.sources = vec![price_source("direct", &url)];
        })
        .await;
        let ana = app.conversation("via-proxy");
        // The proxy resolves and connects: `localhost` is reached through it,
        // as config/default.toml warns.
        let echo = app.say(&ana, "watch bitcoin below 30000 usd").await;
        assert!(echo[0].starts_with("I'm watching bitcoin (direct) for you"), "{echo:?}");
        assert_eq!(server.requests_for("bitcoin"), 1);
        let seen = proxy.requests();
        assert_eq!(seen, vec![format!("GET http://localhost:{}/price?ids=bitcoin&vs=usd", server.port)]);
    }
}

#[test]
fn prices_proxy_must_be_an_http_proxy_url() {
    let mut settings = herald::config::Settings::defaults();
    for bad in [
        "socks5://127.0.0.1:1080",
        "not a url",
        "http://",
        "http://proxy:3128/?x=1",
    ] {
        settings.prices.proxy = bad.to_owned();
        let problems = settings.validate().unwrap_err().to_string();
        assert!(problems.contains("prices.proxy"), "{bad}: {problems}");
    }
    for good in [
        "",
        "http://proxy.internal:3128",
        "https://user:pw@proxy.example:8443",
    ] {
        settings.prices.proxy = good.to_owned();
        settings
            .validate()
            .unwrap_or_else(|e| panic!("{good}: {e}"));
    }
}

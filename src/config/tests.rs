//! Loading, layering and validating settings.

use super::*;

// figment's own `Jail` closure returns its large error type; not ours to box.
#[allow(clippy::result_large_err)]
fn load(
    files: &[(&str, &str)],
    env: &[(&str, &str)],
    overrides: &Overrides,
) -> Result<Settings, ConfigError> {
    let mut loaded = None;
    figment::Jail::expect_with(|jail| {
        for (name, content) in files {
            jail.create_file(name, content)?;
        }
        for (key, value) in env {
            jail.set_env(key, value);
        }
        let figment = Settings::figment(jail.directory(), Env::raw(), Env::prefixed("HERALD__"));
        loaded = Some(Settings::load_from(figment, overrides));
        Ok(())
    });
    loaded.expect("the jail ran")
}

#[test]
fn defaults_are_valid_and_emulator_friendly() {
    let settings = load(&[], &[], &Overrides::default()).unwrap();
    assert_eq!(settings.bind_address().to_string(), "127.0.0.1:3978");
    assert_eq!(settings.database.url, "sqlite://data/herald.db");
    assert_eq!(settings.job_visibility(), JobVisibility::All);
}

#[test]
fn layers_apply_in_order() {
    let settings = load(
        &[(
            "local.toml",
            "[server]\nport = 4000\n[chat]\npage_size = 10\n",
        )],
        &[("PORT", "5000"), ("HERALD__CHAT__PAGE_SIZE", "7")],
        &Overrides::default(),
    )
    .unwrap();
    assert_eq!(settings.server.port, 5000, "environment beats local.toml");
    assert_eq!(settings.chat.page_size, 7);
    let flagged = load(
        &[],
        &[
            ("PORT", "5000"),
            ("DATABASE_URL", "postgres://x@localhost/db"),
        ],
        &Overrides {
            bind: Some("127.0.0.2:6000".into()),
            ..Overrides::default()
        },
    )
    .unwrap();
    assert_eq!(
        flagged.bind_address().to_string(),
        "127.0.0.2:6000",
        "flags beat the environment"
    );
    assert_eq!(flagged.database.url, "postgres://x@localhost/db");
}

#[test]
fn unsafe_or_nonsense_settings_are_refused_with_every_reason() {
    let error = load(
        &[("local.toml", "[server]\nbind = \"0.0.0.0\"\n[chat]\npage_size = 0\n[database]\nurl = \"mysql://x\"\n")],
        &[],
        &Overrides::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("loopback"), "{error}");
    assert!(error.contains("chat.page_size"), "{error}");
    assert!(error.contains("database.url"), "{error}");
}

#[test]
fn scheduler_and_retention_settings_are_bounded() {
    let error = load(
        &[(
            "local.toml",
            "[scheduler]\nbatch_size = 0\nmax_sleep_secs = 86400\n[retention]\noutbox_days = 0\n",
        )],
        &[],
        &Overrides::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("scheduler.batch_size"), "{error}");
    assert!(error.contains("scheduler.max_sleep_secs"), "{error}");
    assert!(error.contains("retention"), "{error}");
    let settings = load(
        &[],
        &[("HERALD__SCHEDULER__ENABLED", "false")],
        &Overrides::default(),
    )
    .unwrap();
    assert!(!settings.scheduler.enabled);
}

#[test]
fn insecure_allows_other_addresses() {
    let settings = load(
        &[(
            "local.toml",
            "[server]\nbind = \"0.0.0.0\"\ninsecure = true\n",
        )],
        &[],
        &Overrides::default(),
    )
    .unwrap();
    assert_eq!(settings.bind_address().ip().to_string(), "0.0.0.0");
}

#[test]
fn unknown_keys_are_errors_not_silently_ignored() {
    let error = load(
        &[("local.toml", "[server]\nprot = 1\n")],
        &[],
        &Overrides::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("prot"), "{error}");
}

#[test]
fn an_app_id_needs_its_password_and_a_supported_type() {
    let error = load(
        &[],
        &[
            ("MicrosoftAppId", "app"),
            ("MicrosoftAppType", "UserAssignedMSI"),
        ],
        &Overrides::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("app_password"), "{error}");
    assert!(error.contains("app_type"), "{error}");
    let single = load(
        &[],
        &[
            ("MicrosoftAppId", "app"),
            ("MicrosoftAppPassword", "pw"),
            ("MicrosoftAppType", "SingleTenant"),
            ("MicrosoftAppTenantId", "contoso"),
        ],
        &Overrides::default(),
    )
    .unwrap();
    assert_eq!(
        single.token_endpoint(),
        "https://login.microsoftonline.com/contoso/oauth2/v2.0/token"
    );
    assert_eq!(single.job_visibility(), JobVisibility::OwnConversation);
}

#[test]
fn with_an_app_id_herald_may_listen_anywhere() {
    let settings = load(
        &[("local.toml", "[server]\nbind = \"0.0.0.0\"\n")],
        &[("MicrosoftAppId", "app"), ("MicrosoftAppPassword", "pw")],
        &Overrides::default(),
    )
    .unwrap();
    assert!(settings.authentication_enabled());
    assert_eq!(
        settings.token_endpoint(),
        "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
    );
}

#[test]
fn secrets_never_print() {
    let settings = load(
        &[],
        &[("MicrosoftAppPassword", "hunter2")],
        &Overrides::default(),
    )
    .unwrap();
    let printed = settings.to_redacted_toml();
    assert!(!printed.contains("hunter2"));
    assert!(printed.contains("[redacted]"));
    assert!(!format!("{settings:?}").contains("hunter2"));
}

#[test]
fn price_sources_are_checked_at_start() {
    use crate::config::PriceSourceSetting;
    let source = |name: &str, url: Option<&str>| PriceSourceSetting {
        name: name.to_owned(),
        url: url.map(str::to_owned),
        pointer: "/{symbol}/usd".to_owned(),
        headers: std::collections::BTreeMap::new(),
        currency: Some("usd".to_owned()),
        interval_secs: 60,
        requests_per_minute: 30,
        lowercase_symbols: false,
    };
    let mut settings = Settings::defaults();
    settings.prices.sources = vec![
        source("a", Some("ftp://example.com/{symbol}")),
        source("b", Some("https://example.com/no-placeholder")),
        source("a", Some("https://example.com/{symbol}")),
        source("bad name!", Some("https://example.com/{symbol}")),
        source("meta", Some("http://169.254.169.254/{symbol}")),
        source("pushed", None),
    ];
    settings.prices.sources[2].interval_secs = 0;
    settings.prices.sources[2]
        .headers
        .insert("bad header".to_owned(), "x".to_owned());
    settings.prices.hysteresis_percent = f64::NAN;
    settings.prices.allow_private = vec!["no-port".to_owned()];
    let problems = settings.validate().unwrap_err().to_string();
    for expected in [
        "prices.sources `a`: only http and https are fetched, not ftp",
        "prices.sources `b`: url must contain {symbol}",
        "prices.sources: `a` is named twice",
        "prices.sources `a`: interval_secs must be between 1 and 86400",
        "prices.sources `a`: `bad header` is not a header name",
        "prices.sources: `bad name!` is not a source name",
        "prices.sources `meta`: 169.254.169.254 is not an address Herald may fetch",
        "prices.sources `pushed`: pointer and headers need a url",
        "prices.hysteresis_percent must be between 0 and 50",
        "prices.allow_private: `no-port` must be host:port",
    ] {
        assert!(
            problems.contains(expected),
            "missing {expected:?} in:\n{problems}"
        );
    }
}

#[test]
fn price_source_headers_come_from_the_environment_and_are_not_printed() {
    let mut settings = Settings::defaults();
    settings.prices.sources[0].headers.insert(
        "x-cg-demo-api-key".to_owned(),
        "${COINGECKO_TEST_KEY}".to_owned(),
    );
    settings.prices.sources[0]
        .headers
        .insert("x-literal".to_owned(), "s3cret-literal".to_owned());
    let missing = settings.price_sources(|_| None).unwrap_err();
    assert!(missing.contains("COINGECKO_TEST_KEY"), "{missing}");
    let sources = settings
        .price_sources(|name| (name == "COINGECKO_TEST_KEY").then(|| "cg-key".to_owned()))
        .unwrap();
    assert!(
        sources[0]
            .headers
            .contains(&("x-cg-demo-api-key".to_owned(), "cg-key".to_owned()))
    );
    let printed = settings.to_redacted_toml();
    assert!(printed.contains("${COINGECKO_TEST_KEY}"));
    assert!(!printed.contains("s3cret-literal"), "{printed}");
}

#[test]
fn the_shipped_coingecko_source_is_the_default() {
    let settings = Settings::defaults();
    assert_eq!(settings.prices.default_source, "coingecko");
    let coingecko = &settings.prices.sources[0];
    assert_eq!(coingecko.name, "coingecko");
    assert!(
        coingecko
            .url
            .as_deref()
            .unwrap()
            .starts_with("https://api.coingecko.com/api/v3/simple/price?ids={symbol}")
    );
    assert_eq!(coingecko.requests_per_minute, 30);
}

#[test]
fn operators_name_a_channel_or_herald_does_not_start() {
    let bare = load(
        &[("local.toml", "[jobs]\noperators = [\"29:1abc\"]\n")],
        &[],
        &Overrides::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(bare.contains("jobs.operators"), "{bare}");
    assert!(bare.contains("\"msteams:<aad object id>\""), "{bare}");
    let qualified = load(
        &[(
            "local.toml",
            "[jobs]\noperators = [\"msteams:29:1abc\", \"emulator:ops\"]\n",
        )],
        &[],
        &Overrides::default(),
    )
    .unwrap();
    assert_eq!(
        qualified.job_operators(),
        vec![
            Person::new("msteams", "29:1abc"),
            Person::new("emulator", "ops")
        ]
    );
}

#[test]
fn parts_of_the_day_are_times_of_day() {
    let settings = load(
        &[("local.toml", "[chat.times]\nevening = \"18:30\"\n")],
        &[],
        &Overrides::default(),
    )
    .unwrap();
    let defaults = settings.chat.times.defaults().unwrap();
    assert_eq!(defaults.evening.hour, 18);
    assert_eq!(defaults.evening.minute, 30);
    assert_eq!(defaults.morning.hour, 9, "the others keep their defaults");
    let error = load(
        &[(
            "local.toml",
            "[chat.times]\nmorning = \"9am\"\nnight = \"25:00\"\n",
        )],
        &[],
        &Overrides::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("chat.times.morning"), "{error}");
}

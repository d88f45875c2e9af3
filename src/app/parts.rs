//! The parts built from the settings before they are wired: price
//! watching (and its polls, taken from the scheduler), Bot Framework
//! authentication, Herald's web chat, the send budget, the database's
//! options.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;
use tokio::sync::Notify;

use crate::botframework::auth::{
    InboundAuth, KeySource, KeySourceSettings, TokenProvider, TrustedHosts, ValidatorSettings,
};
use crate::botframework::connector::ConnectorAuth;
use crate::config::Settings;
use crate::delivery::budget::{LocalBudget, SendBudget, SharedBudget};
use crate::domain::clock::Clock;
use crate::domain::ports::{PriceStore, Store, StoreError, WatchStore};
use crate::domain::rate::DeliveryPolicy;
use crate::prices::guard::NameResolver;
use crate::prices::{Fetcher, Prices, PricesParts, PricesPorts, Source};
use crate::scheduler::PollSink;
use crate::store::StoreOptions;

/// The scheduler's price polls, run by prices. The scheduler owns the port
/// and prices knows nothing of the scheduler: the two meet here, so
/// neither folder imports the other.
pub(super) struct PricePolls(pub Arc<Prices>);

#[async_trait]
impl PollSink for PricePolls {
    async fn poll(&self, source: &str, symbol: &str) -> Result<(), StoreError> {
        self.0.poll(source, symbol).await
    }
}

/// The send budget: in the database when instances share it, else in memory.
pub(super) fn send_budget(
    settings: &Settings,
    policy: &DeliveryPolicy,
    store: &Arc<dyn Store>,
    clock: &Arc<dyn Clock>,
) -> Arc<dyn SendBudget> {
    if settings.budget_in_database() {
        Arc::new(SharedBudget::new(
            policy,
            Arc::clone(store) as _,
            Arc::clone(clock),
        ))
    } else {
        Arc::new(LocalBudget::new(policy, Arc::clone(clock)))
    }
}

/// Price watching: the configured sources (header values read from the
/// environment), fetched through the address guard.
pub(super) fn price_watching(
    settings: &Settings,
    store: &Arc<dyn Store>,
    clock: &Arc<dyn Clock>,
    resolver: Arc<dyn NameResolver>,
    outbox_written: Arc<Notify>,
    trigger_waker: Arc<Notify>,
) -> anyhow::Result<Prices> {
    let sources = settings
        .price_sources(|name| std::env::var(name).ok())
        .map_err(|problem| anyhow::anyhow!(problem))?;
    let fetcher = Fetcher::new(
        resolver,
        settings.address_policy(),
        settings.price_proxy().as_ref(),
        Duration::from_millis(settings.prices.fetch_timeout_ms),
        settings.prices.max_response_bytes,
    )
    .context("building the price fetcher")?;
    Ok(Prices::new(
        PricesPorts {
            watches: Arc::clone(store) as Arc<dyn WatchStore>,
            prices: Arc::clone(store) as Arc<dyn PriceStore>,
        },
        Arc::clone(clock),
        PricesParts {
            sources: sources
                .into_iter()
                .map(|config| Source::new(config, Arc::clone(clock)))
                .collect(),
            fetcher,
            settings: settings.price_settings(),
            default_source: settings.prices.default_source.clone(),
            outbox_written,
            trigger_waker,
        },
    ))
}

/// Token validation and the bot's credentials, when an app id is configured.
pub(super) fn authentication(
    settings: &Settings,
    http: &reqwest::Client,
    clock: &Arc<dyn Clock>,
) -> (Option<Arc<InboundAuth>>, Option<ConnectorAuth>) {
    if !settings.authentication_enabled() {
        return (None, None);
    }
    let auth = &settings.auth;
    let key_source = |metadata_url: &str| {
        Arc::new(KeySource::new(
            http.clone(),
            KeySourceSettings {
                metadata_url: metadata_url.to_owned(),
                max_age: Duration::from_secs(auth.key_max_age_hours * 3600),
                min_refresh_interval: Duration::from_secs(auth.key_min_refresh_secs),
                timeout: Duration::from_secs(10),
            },
            Arc::clone(clock),
        ))
    };
    let inbound = InboundAuth::new(
        ValidatorSettings {
            app_id: settings.bot.app_id.trim().to_owned(),
            channel_issuer: auth.channel_issuer.clone(),
            clock_skew: Duration::from_secs(auth.clock_skew_secs),
        },
        key_source(&auth.openid_metadata_url),
        auth.emulator_tokens
            .then(|| key_source(&auth.emulator_openid_metadata_url)),
        Arc::clone(clock),
    );
    let tokens = TokenProvider::new(
        http.clone(),
        settings.token_endpoint(),
        settings.bot.app_id.trim().to_owned(),
        settings.bot.app_password.clone(),
        Arc::clone(clock),
    );
    let connector_auth = ConnectorAuth {
        tokens: Arc::new(tokens),
        trusted: trusted_hosts(settings),
    };
    (Some(Arc::new(inbound)), Some(connector_auth))
}

/// The hosts trusted with messages and the token; loopback too when Emulator tokens are accepted.
pub(super) fn trusted_hosts(settings: &Settings) -> TrustedHosts {
    TrustedHosts::new(settings.auth.trusted_service_hosts.iter().cloned())
        .with_loopback(settings.auth.emulator_tokens)
}

/// Herald's own web chat, when `webchat.enabled` (or, on "auto", a
/// loopback listener) says it runs.
pub(super) fn web_chat(
    settings: &Settings,
    store: &Arc<dyn Store>,
    clock: &Arc<dyn Clock>,
) -> anyhow::Result<Option<Arc<crate::webchat::WebChat>>> {
    let loopback = settings.bind_address().ip().is_loopback();
    let on = match settings.webchat.enabled {
        crate::config::WebchatMode::On => true,
        crate::config::WebchatMode::Off => false,
        crate::config::WebchatMode::Auto => loopback,
    };
    if on && settings.webchat.token_lifetime_secs < 20 * 60 {
        tracing::warn!(
            token_lifetime_secs = settings.webchat.token_lifetime_secs,
            "webchat.token_lifetime_secs is under 20 minutes: Microsoft's Web Chat and directline.js refresh tokens every 15 minutes whatever expires_in says, so their tokens would expire first"
        );
    }
    if !on {
        return Ok(None);
    }
    let webchat = &settings.webchat;
    let chat = crate::webchat::WebChat::new(
        Arc::clone(store) as _,
        Arc::clone(clock),
        Some(webchat.secret.clone()),
        loopback,
        crate::webchat::WebchatLimits {
            token_lifetime: Duration::from_secs(webchat.token_lifetime_secs),
            max_transcript_activities: webchat.max_transcript_activities,
            max_text_chars: settings.chat.max_text_chars,
            max_streams: webchat.max_streams,
            max_streams_per_conversation: webchat.max_streams_per_conversation,
            uploads: crate::webchat::UploadLimits {
                max_file_bytes: webchat.max_upload_file_bytes,
                max_files: webchat.max_upload_files,
                max_request_bytes: webchat.max_upload_bytes,
                content_types: webchat.upload_content_types.clone(),
                read_timeout: Duration::from_secs(webchat.upload_read_timeout_secs),
            },
            attachment_link_lifetime: Duration::from_secs(webchat.attachment_link_secs),
        },
    )
    .map_err(|_| anyhow::anyhow!("no randomness for the web chat's link key"))?;
    Ok(Some(Arc::new(chat)))
}

/// How to open the database at `url`, with the configured pool settings.
pub fn store_options(settings: &Settings, url: &str) -> StoreOptions {
    StoreOptions {
        url: url.to_owned(),
        max_connections: settings.database.max_connections,
        sqlite_synchronous: settings.database.sqlite_synchronous,
    }
}

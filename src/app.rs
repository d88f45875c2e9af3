//! Wiring only: opens the store, builds the bot, the scheduler, the delivery
//! loop, housekeeping and the router, binds the listener, and runs them until
//! shutdown.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use prometheus_client::registry::Registry;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::botframework::auth::{
    InboundAuth, KeySource, KeySourceSettings, TokenProvider, TrustedHosts, ValidatorSettings,
};
use crate::botframework::connector::{Connector, ConnectorAuth};
use crate::chat::proactive::ConnectorSender;
use crate::chat::{Bot, BotParts, BotSettings, ReferenceCache, ReminderLimits, ServiceUrlPolicy};
use crate::config::Settings;
use crate::delivery::budget::{LocalBudget, SendBudget, SharedBudget};
use crate::delivery::metrics::DeliveryMetrics;
use crate::delivery::{Backoff, Delivery, DeliverySettings, Routed};
use crate::domain::access::JobAccess;
use crate::domain::clock::Clock;
use crate::domain::firing::FiringRules;
use crate::domain::ports::{OpenLimits, Store};
use crate::http::api::keys::ApiAccess;
use crate::http::server::ServerLimits;
use crate::http::{self, AppState};
use crate::prices::guard::{NameResolver, SystemResolver};
use crate::prices::{Fetcher, PricePoller, Prices, PricesParts, Source};
use crate::scheduler::control::TriggerControl;
use crate::scheduler::housekeeping::{GaugeBoard, Housekeeping};
use crate::scheduler::{Scheduler, SchedulerSettings};
use crate::store::{self, Backend, ChangeWakers, StoreOptions, WebchatWaker};

/// Kept here too: the binary and tests name it `app::redact_url`.
pub use crate::config::redact_url;

/// A built, bound, not yet running Herald.
pub struct Application {
    listener: TcpListener,
    address: SocketAddr,
    router: axum::Router,
    /// `None` when sending is disabled on this instance.
    delivery: Option<Delivery>,
    outbox_waker: Arc<Notify>,
    /// `None` when firing is disabled on this instance.
    scheduler: Option<Scheduler>,
    trigger_waker: Arc<Notify>,
    /// The database URL, when it is PostgreSQL and something here wants to
    /// hear of other instances' changes (through LISTEN on it).
    listen_url: Option<String>,
    /// What those changes wake.
    change_wakers: ChangeWakers,
    housekeeping: Housekeeping,
    store: Arc<dyn Store>,
    auth: Option<Arc<InboundAuth>>,
    server_limits: ServerLimits,
}

/// Opens the database named in the settings, applying migrations.
pub async fn open_store(settings: &Settings) -> anyhow::Result<Arc<dyn Store>> {
    store::open(&store_options(settings, &settings.database.url), true)
        .await
        .with_context(|| {
            format!(
                "opening the database ({})",
                redact_url(&settings.database.url)
            )
        })
}

impl Application {
    /// Opens and migrates the database, then binds the listener (port 0 picks a
    /// free port: see `address`).
    pub async fn build(settings: &Settings, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        Self::build_with(settings, clock, Arc::new(SystemResolver)).await
    }

    /// As `build`, with price sources' host names resolved by `resolver`
    /// (tests map names to addresses without any network).
    pub async fn build_with(
        settings: &Settings,
        clock: Arc<dyn Clock>,
        resolver: Arc<dyn NameResolver>,
    ) -> anyhow::Result<Self> {
        let store = open_store(settings).await?;
        let connect_timeout = Duration::from_millis(settings.delivery.connect_timeout_ms);
        let http = Connector::http_client(connect_timeout).context("building the HTTP client")?;
        let (auth, connector_auth) = authentication(settings, &http, &clock);
        let webchat = web_chat(settings, &store, &clock)?;
        let mut connector = Connector::new(http, connector_auth);
        if let Some(webchat) = &webchat {
            connector = connector.with_local(Arc::clone(webchat) as _);
        }
        let policy = settings
            .delivery_policy()
            .map_err(|problem| anyhow::anyhow!(problem))?;
        let budget: Arc<dyn SendBudget> = if settings.budget_in_database() {
            Arc::new(SharedBudget::new(
                &policy,
                Arc::clone(&store),
                Arc::clone(&clock),
            ))
        } else {
            Arc::new(LocalBudget::new(&policy, Arc::clone(&clock)))
        };
        let mut registry = Registry::default();
        let metrics = Arc::new(DeliveryMetrics::register(
            &mut registry,
            policy.channels().map(|(name, _)| name.to_owned()),
        ));

        let references = Arc::new(ReferenceCache::new(chrono::Duration::minutes(5), 100_000));
        // Built before delivery, which sends what they queue: its signal first.
        let outbox_written = Arc::new(Notify::new());
        let scheduler = Scheduler::new(
            Arc::clone(&store),
            Arc::clone(&clock),
            SchedulerSettings {
                batch_size: settings.scheduler.batch_size,
                concurrent_batches: match settings.scheduler.concurrent_batches {
                    0 if settings.database.url.starts_with("postgres") => 2,
                    0 => 1,
                    chosen => chosen,
                },
                max_sleep: Duration::from_secs(settings.scheduler.max_sleep_secs),
                rules: FiringRules {
                    misfire_grace: (settings.scheduler.misfire_grace_secs > 0).then(|| {
                        chrono::Duration::seconds(
                            i64::try_from(settings.scheduler.misfire_grace_secs)
                                .unwrap_or(i64::MAX / 1000),
                        )
                    }),
                },
            },
            Arc::clone(&outbox_written),
        );
        let prices = Arc::new(price_watching(
            settings,
            &store,
            &clock,
            resolver,
            Arc::clone(&outbox_written),
            scheduler.waker(),
        )?);
        let delivery = Delivery::new(
            Arc::clone(&store),
            Arc::clone(&clock),
            Arc::new(Routed {
                channels: Arc::new(ConnectorSender::new(
                    connector.clone(),
                    Arc::clone(&clock),
                    Duration::from_millis(settings.delivery.send_timeout_ms),
                    settings.authentication_enabled(),
                    Arc::clone(&references),
                    settings.default_zone(),
                    settings.chat.snooze_minutes.clone(),
                )),
                internal: Arc::new(PricePoller {
                    prices: Arc::clone(&prices),
                }),
            }),
            Arc::clone(&budget),
            Arc::clone(&metrics),
            DeliverySettings {
                poll_interval: Duration::from_millis(settings.delivery.poll_interval_ms),
                batch_size: settings.delivery.batch_size,
                concurrent_rounds: settings.delivery.concurrent_rounds,
                lease: Duration::from_secs(settings.delivery.lease_secs),
                max_attempts: settings.delivery.max_attempts,
                backoff: Backoff {
                    base: Duration::from_millis(settings.delivery.backoff_base_ms),
                    max: Duration::from_secs(settings.delivery.backoff_max_secs),
                },
                default_zone: settings.default_zone(),
            },
        )
        .woken_by(outbox_written);
        let triggers =
            TriggerControl::new(Arc::clone(&store), Arc::clone(&clock), scheduler.waker())
                .with_min_repeat(settings.min_repeat());
        let bot = Bot::new(
            Arc::clone(&store),
            Arc::clone(&clock),
            BotParts {
                connector,
                access: JobAccess::new(settings.job_visibility(), settings.job_operators()),
                references,
                budget: Arc::clone(&budget),
                triggers: triggers.clone(),
                prices: Arc::clone(&prices),
                outbox_written: delivery.waker(),
            },
            BotSettings {
                max_text_chars: settings.chat.max_text_chars,
                page_size: settings.chat.page_size,
                dedup_window: settings.chat.dedup_window(),
                reply_timeout: Duration::from_millis(settings.chat.reply_timeout_ms),
                job_limits: OpenLimits {
                    per_conversation: settings.limits.jobs_per_conversation,
                    per_user: settings.limits.jobs_per_user,
                },
                turns_per_conversation_per_minute: NonZeroU32::new(
                    settings.limits.turns_per_conversation_per_minute,
                )
                .unwrap_or(NonZeroU32::MIN),
                service_urls: match &auth {
                    Some(_) => ServiceUrlPolicy::Trusted(trusted_hosts(settings)),
                    None => ServiceUrlPolicy::LoopbackOnly,
                },
                default_zone: settings.default_zone(),
                reminder_limits: ReminderLimits {
                    text_chars: settings.limits.reminder_text_chars,
                    open: OpenLimits {
                        per_user: settings.limits.reminders_per_user,
                        per_conversation: settings.limits.reminders_per_conversation,
                    },
                },
                watch_limits: OpenLimits {
                    per_user: settings.limits.watches_per_user,
                    per_conversation: settings.limits.watches_per_conversation,
                },
                // Validated at start.
                times: settings.chat.times.defaults().unwrap_or_default(),
            },
        );
        // Without a local scheduler a change still wakes nothing here; other
        // instances hear of it through the database.
        let trigger_waker = scheduler.waker();
        let outbox_written = delivery.waker();
        let api = ApiAccess::new(
            settings.api_keys(),
            settings.bind_address().ip().is_loopback(),
            NonZeroU32::new(settings.api.requests_per_minute).unwrap_or(NonZeroU32::MIN),
            Arc::clone(&clock),
        );
        let bot = Arc::new(bot);
        let api = Arc::new(api);
        let gauges = Arc::new(GaugeBoard::default());
        let housekeeping = Housekeeping {
            store: Arc::clone(&store),
            clock: Arc::clone(&clock),
            dedup_window: settings.chat.dedup_window(),
            conversation_retention: chrono::Duration::days(i64::from(
                settings.privacy.conversation_retention_days,
            )),
            outbox_retention: chrono::Duration::days(i64::from(settings.retention.outbox_days)),
            idempotency_retention: chrono::Duration::hours(i64::from(
                settings.retention.idempotency_key_hours,
            )),
            price_history: chrono::Duration::days(i64::from(settings.prices.history_days)),
            browser_retention: chrono::Duration::days(i64::from(
                settings.webchat.browser_idle_days,
            )),
            sweepers: vec![
                Box::new({
                    let bot = Arc::clone(&bot);
                    move || bot.forget_quiet_conversations()
                }),
                Box::new({
                    let api = Arc::clone(&api);
                    move || api.forget_quiet_callers()
                }),
            ],
            gauges: Arc::clone(&gauges),
            budget,
        };
        let change_wakers = ChangeWakers {
            triggers: settings
                .scheduler
                .enabled
                .then(|| Arc::clone(&trigger_waker)),
            webchat: webchat.as_ref().map(|webchat| {
                let webchat = Arc::clone(webchat);
                Arc::new(move |conversation: Option<&str>| webchat.wake(conversation))
                    as WebchatWaker
            }),
        };
        let router = http::router(AppState {
            bot: Arc::clone(&bot),
            store: Arc::clone(&store),
            max_body_bytes: settings.server.max_body_bytes,
            body_read_timeout: Duration::from_secs(settings.server.body_read_timeout_secs),
            auth: auth.clone(),
            api: Arc::clone(&api),
            clock: Arc::clone(&clock),
            outbox_written,
            triggers,
            metrics: Arc::new(registry),
            gauges,
            prices,
            webchat,
        });

        let listener = TcpListener::bind(settings.bind_address())
            .await
            .with_context(|| format!("listening on {}", settings.bind_address()))?;
        let address = listener.local_addr().context("reading the bound address")?;
        if settings.server.insecure && !address.ip().is_loopback() {
            tracing::warn!(%address, "authentication is off on a non-loopback address (server.insecure)");
        }
        Ok(Self {
            listener,
            address,
            router,
            outbox_waker: delivery.waker(),
            delivery: settings.delivery.enabled.then_some(delivery),
            scheduler: settings.scheduler.enabled.then_some(scheduler),
            trigger_waker,
            listen_url: (Backend::from_url(&settings.database.url) == Some(Backend::Postgres)
                && !change_wakers.is_empty())
            .then(|| settings.database.url.clone()),
            change_wakers,
            housekeeping,
            store,
            auth,
            server_limits: ServerLimits {
                header_read_timeout: Duration::from_secs(settings.server.header_read_timeout_secs),
                max_header_bytes: settings.server.max_header_bytes,
                max_connections: settings.server.max_connections,
                shutdown_grace: Duration::from_secs(settings.server.shutdown_grace_secs),
            },
        })
    }

    /// The address actually bound.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn store(&self) -> Arc<dyn Store> {
        Arc::clone(&self.store)
    }

    /// Wakes the delivery loop (e.g. after a test moved the clock).
    pub fn delivery_waker(&self) -> Arc<Notify> {
        Arc::clone(&self.outbox_waker)
    }

    /// Wakes the scheduler (e.g. after a test moved the clock).
    pub fn scheduler_waker(&self) -> Arc<Notify> {
        Arc::clone(&self.trigger_waker)
    }

    /// Serves until `shutdown` is cancelled: stops accepting, lets turns in
    /// flight finish (up to the grace period), then stops delivery.
    pub async fn run(self, shutdown: CancellationToken) -> anyhow::Result<()> {
        tracing::info!(
            address = %self.address,
            authentication = self.auth.is_some(),
            "Herald is listening"
        );
        // Fetch signing keys without holding up the start: until they arrive,
        // requests are refused (fail closed) and /healthz still answers.
        for keys in self.auth.iter().flat_map(|auth| auth.key_sources()) {
            tokio::spawn(async move { keys.warm_up().await });
        }
        let stop_background = CancellationToken::new();
        let delivery = self
            .delivery
            .map(|delivery| tokio::spawn(delivery.run(stop_background.clone())));
        let scheduler = self
            .scheduler
            .map(|scheduler| tokio::spawn(scheduler.run(stop_background.clone())));
        let listener = self.listen_url.map(|url| {
            tokio::spawn(store::watch_changes(
                url,
                self.change_wakers.clone(),
                stop_background.clone(),
            ))
        });
        let mut housekeeping = self.housekeeping.start().await;

        http::server::serve(self.listener, self.router, self.server_limits, shutdown).await;
        stop_background.cancel();
        if let Err(error) = housekeeping.shutdown().await {
            tracing::warn!(%error, "stopping housekeeping failed");
        }
        for task in delivery.into_iter().chain(scheduler).chain(listener) {
            let _ = task.await;
        }
        tracing::info!("Herald stopped");
        Ok(())
    }
}

/// Price watching: the configured sources (header values read from the
/// environment), fetched through the address guard.
fn price_watching(
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
        Arc::clone(store),
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
fn authentication(
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
fn trusted_hosts(settings: &Settings) -> TrustedHosts {
    TrustedHosts::new(settings.auth.trusted_service_hosts.iter().cloned())
        .with_loopback(settings.auth.emulator_tokens)
}

/// A database URL without its password, for messages.
/// Herald's own web chat, when `webchat.enabled` (or, on "auto", a
/// loopback listener) says it runs.
fn web_chat(
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
        Arc::clone(store),
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

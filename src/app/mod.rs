//! Wiring only: opens the store, builds the bot, the scheduler, the delivery
//! loop, housekeeping and the router, binds the listener, and runs them until
//! shutdown. What each part is told is read from the settings in
//! `component_settings.rs`; the parts built first are in `parts.rs`.

mod component_settings;
mod parts;

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use prometheus_client::registry::Registry;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::botframework::auth::InboundAuth;
use crate::botframework::connector::Connector;
use crate::chat::proactive::ConnectorSender;
use crate::chat::{Bot, BotParts, ChatPorts, ReferenceCache};
use crate::config::Settings;
use crate::delivery::metrics::DeliveryMetrics;
use crate::delivery::{Delivery, DeliveryPorts};
use crate::domain::access::JobAccess;
use crate::domain::clock::Clock;
use crate::domain::ports::{Store, TriggerStore};
use crate::http::api::keys::ApiAccess;
use crate::http::server::ServerLimits;
use crate::http::{self, AppState};
use crate::prices::guard::{NameResolver, SystemResolver};
use crate::scheduler::Scheduler;
use crate::scheduler::housekeeping::{GaugeBoard, Housekeeping, Sweeper};
use crate::service::{Jobs, Triggers, Watches};
use crate::store::{self, Backend, ChangeWakers, WebchatWaker};
use crate::webchat::WebchatState;

/// Kept here too: the binary and tests name it `app::redact_url`.
pub use crate::config::redact_url;
pub use parts::store_options;

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
        let (auth, connector_auth) = parts::authentication(settings, &http, &clock);
        let webchat = parts::web_chat(settings, &store, &clock)?;
        let mut connector = Connector::new(http, connector_auth);
        if let Some(webchat) = &webchat {
            connector = connector.with_local(Arc::clone(webchat) as _);
        }
        let policy = settings
            .delivery_policy()
            .map_err(|problem| anyhow::anyhow!(problem))?;
        let budget = parts::send_budget(settings, &policy, &store, &clock);
        let mut registry = Registry::default();
        let metrics = Arc::new(DeliveryMetrics::register(
            &mut registry,
            policy.channels().map(|(name, _)| name.to_owned()),
        ));

        let references = Arc::new(ReferenceCache::new(chrono::Duration::minutes(5), 100_000));
        // Built before delivery, which sends what they queue: its signal first.
        let outbox_written = Arc::new(Notify::new());
        let scheduler = Scheduler::new(
            Arc::clone(&store) as Arc<dyn TriggerStore>,
            Arc::clone(&clock),
            component_settings::scheduler(settings),
            Arc::clone(&outbox_written),
        );
        let prices = Arc::new(parts::price_watching(
            settings,
            &store,
            &clock,
            resolver,
            Arc::clone(&outbox_written),
            scheduler.waker(),
        )?);
        // The scheduler hands its price polls straight to prices.
        let scheduler = scheduler.polling(Arc::new(parts::PricePolls(Arc::clone(&prices))));
        let delivery = Delivery::new(
            DeliveryPorts {
                outbox: Arc::clone(&store) as _,
                conversations: Arc::clone(&store) as _,
            },
            Arc::clone(&clock),
            Arc::new(ConnectorSender::new(
                connector.clone(),
                Arc::clone(&clock),
                Duration::from_millis(settings.delivery.send_timeout_ms),
                settings.authentication_enabled(),
                Arc::clone(&references),
                settings.default_zone(),
                settings.chat.snooze_minutes.clone(),
            )),
            Arc::clone(&budget),
            Arc::clone(&metrics),
            component_settings::delivery(settings),
        )
        .woken_by(outbox_written);
        let triggers = Triggers::new(
            Arc::clone(&store) as _,
            Arc::clone(&clock),
            scheduler.waker(),
        )
        .with_min_repeat(settings.min_repeat());
        let jobs = Arc::new(Jobs::new(
            Arc::clone(&store) as _,
            JobAccess::new(settings.job_visibility(), settings.job_operators()),
            component_settings::job_limits(settings),
            delivery.waker(),
        ));
        let bot = Bot::new(
            ChatPorts {
                conversations: Arc::clone(&store) as _,
                people: Arc::clone(&store) as _,
                outbox: Arc::clone(&store) as _,
                transcripts: Arc::clone(&store) as _,
            },
            Arc::clone(&clock),
            BotParts {
                connector,
                references,
                budget: Arc::clone(&budget),
                triggers: triggers.clone(),
                jobs: Arc::clone(&jobs),
                watches: Watches::new(
                    Arc::clone(&prices),
                    Arc::clone(&store) as _,
                    component_settings::watch_limits(settings),
                ),
                outbox_written: delivery.waker(),
            },
            component_settings::bot(settings, auth.is_some()),
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
        let sweepers: Vec<Sweeper> = vec![
            Box::new({
                let bot = Arc::clone(&bot);
                move || bot.forget_quiet_conversations()
            }),
            Box::new({
                let api = Arc::clone(&api);
                move || api.forget_quiet_callers()
            }),
        ];
        let housekeeping = component_settings::housekeeping(
            settings,
            Arc::clone(&store),
            Arc::clone(&clock),
            sweepers,
            Arc::clone(&gauges),
            budget,
        );
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
        let body = component_settings::body(settings);
        let mut router = http::router(AppState {
            bot: Arc::clone(&bot),
            conversations: Arc::clone(&store) as _,
            outbox: Arc::clone(&store) as _,
            body,
            auth: auth.clone(),
            api: Arc::clone(&api),
            clock: Arc::clone(&clock),
            outbox_written,
            triggers,
            jobs,
            metrics: Arc::new(registry),
            gauges,
            prices,
        });
        if let Some(chat) = webchat {
            router = router.merge(crate::webchat::routes(WebchatState {
                chat,
                bot: Arc::clone(&bot),
                clock: Arc::clone(&clock),
                files: Arc::clone(&store) as _,
                body,
            }));
        }

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
            server_limits: component_settings::server(settings),
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

//! The `herald` binary: reads settings, sets up logging, runs the chosen command.

use std::io::{BufWriter, IsTerminal};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use herald::app::{Application, open_store, redact_url, store_options};
use herald::cli::{Cli, Command};
use herald::config::Settings;
use herald::domain::api_key::Scope;
use herald::domain::clock::SystemClock;
use herald::http::api::keys::generate_key;
use herald::teams::PackageRequest;
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

/// mimalloc rather than the system allocator: a turn makes many small
/// allocations (JSON, headers, text), and with glibc's malloc `show` ran at
/// three quarters of the turns a second (`docs/benchmarks.md`, "The
/// allocator"). `.cargo/config.toml` builds it committing memory as used.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(&cli.config_dir, &cli.overrides()) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("herald: {error}");
            return ExitCode::from(2);
        }
    };
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.log.filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    // Log lines go through a channel to a writer thread that batches them into
    // few writes: a line per turn must not cost a system call per turn. The
    // guard flushes what is left when `main` returns.
    let ansi = std::io::stdout().is_terminal();
    // Not lossy: when the writer falls behind, a full buffer holds up callers
    // rather than dropping lines.
    let (writer, _flush_on_exit) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(BufWriter::new(std::io::stdout()));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(writer)
        .init();

    let result = match cli.command.unwrap_or(Command::Serve { bind: None }) {
        Command::Config => {
            print!("{}", settings.to_redacted_toml());
            Ok(())
        }
        Command::Migrate => open_store(&settings).await.map(|_| {
            tracing::info!("migrations applied");
        }),
        Command::Serve { .. } => serve(&settings).await,
        Command::ApiKey { name, scopes } => api_key(&name, &scopes),
        Command::Copy { to } => copy(&settings, &to).await,
        Command::TeamsPackage { request, out } => teams_package(&request, &out),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Said once, plainly, where a person running the command looks; a log
        // line on stdout as well would print it twice.
        Err(error) => {
            eprintln!("herald: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Copies the SQLite database into an empty PostgreSQL one and says what moved.
async fn copy(settings: &Settings, to: &str) -> anyhow::Result<()> {
    let from = store_options(settings, &settings.database.url);
    let report = herald::store::copy::sqlite_to_postgres(&from, &store_options(settings, to))
        .await
        .with_context(|| format!("copying to {}", redact_url(to)))?;
    for (table, rows) in &report.tables {
        println!("{table:<20} {rows:>10}");
    }
    println!(
        "copied {} rows from {} to {}; the counts match. Point DATABASE_URL at the new database.",
        report.total(),
        redact_url(&settings.database.url),
        redact_url(to)
    );
    Ok(())
}

/// Writes the Teams app package and says what to do with it.
fn teams_package(request: &PackageRequest, out: &std::path::Path) -> anyhow::Result<()> {
    let zip = herald::teams::package(request)?;
    std::fs::write(out, zip).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "Wrote {} (manifest {}, bot {}). Upload it in Teams: Apps → Manage your apps → Upload an app.",
        out.display(),
        herald::teams::MANIFEST_VERSION,
        request.app_id.trim().to_ascii_lowercase()
    );
    Ok(())
}

/// Prints a new API key and the settings entry that admits it.
fn api_key(name: &str, scopes: &[String]) -> anyhow::Result<()> {
    if let Some(unknown) = scopes.iter().find(|s| Scope::parse(s).is_none()) {
        let known: Vec<_> = Scope::ALL.iter().map(|s| s.as_str()).collect();
        anyhow::bail!("unknown scope `{unknown}` (known: {})", known.join(", "));
    }
    if name.trim().is_empty() || name.contains(['"', '\\', '\n']) {
        anyhow::bail!("the name must be plain text");
    }
    let (key, digest) = generate_key().map_err(|_| anyhow::anyhow!("no randomness available"))?;
    let scopes: Vec<String> = scopes.iter().map(|s| format!("\"{s}\"")).collect();
    println!("API key (shown once; give it to `{name}`):\n\n    {key}\n");
    println!("Add to config/local.toml:\n");
    println!(
        "[[api.keys]]\nname = \"{name}\"\nsha256 = \"{digest}\"\nscopes = [{}]",
        scopes.join(", ")
    );
    Ok(())
}

async fn serve(settings: &Settings) -> anyhow::Result<()> {
    let app = Application::build(settings, Arc::new(SystemClock)).await?;
    let shutdown = CancellationToken::new();
    tokio::spawn(stop_on_signal(shutdown.clone()));
    app.run(shutdown).await
}

/// Cancels `shutdown` on SIGINT (Ctrl-C) or SIGTERM.
async fn stop_on_signal(shutdown: CancellationToken) {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => tracing::info!("SIGINT received; shutting down"),
        () = terminate => tracing::info!("SIGTERM received; shutting down"),
    }
    shutdown.cancel();
}

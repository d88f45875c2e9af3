//! The command line: `herald [serve] | migrate | config | copy | teams-package | api-key`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Overrides;
use crate::teams::PackageRequest;

#[derive(Debug, Parser)]
#[command(
    name = "herald",
    version,
    about = "Reminders, jobs and price alerts for Bot Framework channels"
)]
pub struct Cli {
    /// Directory holding default.toml and local.toml.
    #[arg(
        long,
        global = true,
        env = "HERALD_CONFIG_DIR",
        default_value = "config"
    )]
    pub config_dir: PathBuf,

    /// Database URL (sqlite://… or postgres://…); overrides DATABASE_URL.
    #[arg(long, global = true)]
    pub database_url: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the bot (the default).
    Serve {
        /// Address to listen on, ADDR:PORT or ADDR (default 127.0.0.1, port from PORT or 3978).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the effective settings (secrets redacted) and exit.
    Config,
    /// Copy everything from the SQLite database (--database-url / DATABASE_URL)
    /// into an empty PostgreSQL database, then compare the counts.
    Copy {
        /// The PostgreSQL database to copy into (postgres://…); it must hold no Herald rows.
        #[arg(long)]
        to: String,
    },
    /// Write the Microsoft Teams app package (a zip to upload to Teams).
    TeamsPackage {
        #[command(flatten)]
        request: PackageRequest,
        /// Where to write the zip.
        #[arg(long, default_value = "herald-teams.zip")]
        out: PathBuf,
    },
    /// Generate an API key for /api/v1: prints the key once and its config entry.
    ApiKey {
        /// A name for the system that will use the key.
        #[arg(long)]
        name: String,
        /// A scope the key grants (jobs:read, jobs:write, triggers:read, triggers:write); repeat for several.
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
    },
}

impl Cli {
    pub fn overrides(&self) -> Overrides {
        let bind = match &self.command {
            Some(Command::Serve { bind }) => bind.clone(),
            _ => None,
        };
        Overrides {
            bind,
            port: None,
            database_url: self.database_url.clone(),
        }
    }
}

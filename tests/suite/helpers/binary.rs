//! The real `herald` binary as a child process, for what only a process can
//! show: exit codes, signals, `kill -9`.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use super::TestDatabase;

/// Runs a command to its end: whether it succeeded, and stdout then stderr.
pub async fn output(command: &mut tokio::process::Command) -> (bool, String) {
    let output = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// A `herald` command with a clean environment for `db`.
pub fn herald_command(db: &TestDatabase) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_herald"));
    command
        .env("DATABASE_URL", &db.url)
        .env("HERALD__LOG__FILTER", "info")
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .env_remove("PORT")
        .kill_on_drop(true);
    command
}

/// A running `herald serve`.
pub struct HeraldProcess {
    pub child: Child,
    pub address: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl HeraldProcess {
    /// Starts `herald serve` on a free loopback port with extra environment.
    pub async fn start(db: &TestDatabase, env: &[(&str, &str)]) -> Self {
        Self::start_without(db, env, &[]).await
    }

    /// Starts `herald serve` with extra environment and without the variables `removed`.
    pub async fn start_without(db: &TestDatabase, env: &[(&str, &str)], removed: &[&str]) -> Self {
        let mut command = herald_command(db);
        for name in removed {
            command.env_remove(name);
        }
        command
            .args(["serve", "--bind", "127.0.0.1:0"])
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = command.spawn().expect("the herald binary starts");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let log = Arc::new(Mutex::new(Vec::new()));
        let address = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = lines.next_line().await.unwrap() {
                log.lock().unwrap().push(line.clone());
                if line.contains("Herald is listening") {
                    if let Some(rest) = line.split("address=").nth(1) {
                        return rest.split_whitespace().next().unwrap().to_owned();
                    }
                }
            }
            panic!("herald exited before listening");
        })
        .await
        .expect("herald listens within 30 s");
        // Keep reading its log so it never blocks on a full pipe.
        let sink = Arc::clone(&log);
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                sink.lock().unwrap().push(line);
            }
        });
        Self {
            child,
            address: format!("http://{address}"),
            log,
        }
    }

    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Waits (up to 10 s) until a log line contains `text`: the log is read
    /// by a task of its own, which may trail the process.
    pub async fn wait_for_log(&self, text: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !self.log().iter().any(|line| line.contains(text)) {
            assert!(
                tokio::time::Instant::now() < deadline,
                "no `{text}` in the log: {:#?}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Sends SIGTERM and waits (up to 20 s) for the exit status.
    pub async fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().expect("still running").to_string();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        assert!(status.success());
        tokio::time::timeout(Duration::from_secs(20), self.child.wait())
            .await
            .expect("herald exits after SIGTERM")
            .expect("exit status")
    }
}

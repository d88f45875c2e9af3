//! A TCP relay in front of PostgreSQL that counts the round trips its
//! clients make with statements in them. It reads only the framing of the
//! frontend protocol: after the untyped startup messages, every message is a
//! type byte and a length, and each `Sync` (extended protocol) or `Query`
//! (simple protocol) ends one exchange, which the server closes with
//! `ReadyForQuery`. A `Sync` alone is a ping (sqlx pings each connection as
//! it goes back to its pool, after the work is done): those are counted
//! apart. Everything is forwarded unchanged; TLS is not spoken, so clients
//! must connect with `sslmode=disable`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// `SSLRequest` and `GSSENCRequest`: answered with one byte, then the real
/// startup message follows.
const ENCRYPTION_REQUESTS: [u32; 2] = [80_877_103, 80_877_104];

pub struct RoundTrips {
    /// The database URL, through the relay.
    pub url: String,
    count: Arc<AtomicUsize>,
    pings: Arc<AtomicUsize>,
}

impl RoundTrips {
    /// A relay to the server `database_url` names; `url` is the same URL
    /// through the relay.
    pub async fn in_front_of(database_url: &str) -> Self {
        let mut target = reqwest::Url::parse(database_url).expect("a database URL");
        let server = format!(
            "{}:{}",
            target.host_str().expect("a host"),
            target.port().unwrap_or(5432)
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        target.set_host(Some("127.0.0.1")).unwrap();
        target.set_port(Some(port)).unwrap();
        target.query_pairs_mut().append_pair("sslmode", "disable");
        let count = Arc::new(AtomicUsize::new(0));
        let pings = Arc::new(AtomicUsize::new(0));
        let counters = (Arc::clone(&count), Arc::clone(&pings));
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let server = server.clone();
                let counters = counters.clone();
                tokio::spawn(async move {
                    let _ = relay(client, &server, &counters.0, &counters.1).await;
                });
            }
        });
        Self {
            url: target.to_string(),
            count,
            pings,
        }
    }

    /// Round trips with statements so far, over every connection.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Bare `Sync`s so far: pings.
    pub fn pings(&self) -> usize {
        self.pings.load(Ordering::SeqCst)
    }
}

async fn relay(
    client: TcpStream,
    server: &str,
    count: &AtomicUsize,
    pings: &AtomicUsize,
) -> std::io::Result<()> {
    let server = TcpStream::connect(server).await?;
    let (mut from_client, mut to_client) = client.into_split();
    let (mut from_server, mut to_server) = server.into_split();
    tokio::spawn(async move { tokio::io::copy(&mut from_server, &mut to_client).await });
    loop {
        let body = message(&mut from_client, None).await?;
        to_server.write_all(&body).await?;
        let code = u32::from_be_bytes(body[4..8].try_into().unwrap_or_default());
        if !ENCRYPTION_REQUESTS.contains(&code) {
            break;
        }
    }
    // Whether messages came since the last `Sync`: a statement's exchange.
    let mut working = false;
    loop {
        let kind = from_client.read_u8().await?;
        let body = message(&mut from_client, Some(kind)).await?;
        match kind {
            b'S' if working => count.fetch_add(1, Ordering::SeqCst),
            b'S' => pings.fetch_add(1, Ordering::SeqCst),
            b'Q' => count.fetch_add(1, Ordering::SeqCst),
            _ => 0,
        };
        working = !matches!(kind, b'S' | b'Q');
        to_server.write_all(&body).await?;
    }
}

/// One message as it travels: its type byte (when it has one), its length
/// and its body.
async fn message(
    from: &mut (impl AsyncReadExt + Unpin),
    kind: Option<u8>,
) -> std::io::Result<Vec<u8>> {
    let length = from.read_u32().await?;
    let mut bytes: Vec<u8> = kind.into_iter().collect();
    bytes.extend_from_slice(&length.to_be_bytes());
    let start = bytes.len();
    bytes.resize(start + (length as usize).saturating_sub(4), 0);
    from.read_exact(&mut bytes[start..]).await?;
    Ok(bytes)
}

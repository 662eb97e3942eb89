//! A local emulator of the Tencent Cloud Contact Center API, for developing and
//! testing without a cloud account.
//!
//! It speaks the real wire protocol, so this crate's client and the official SDKs
//! work against it unchanged: it checks the TC3 signature over whatever
//! `SignedHeaders` lists, the timestamp (five minutes), the action, the version and
//! the body against the spec, with the service's error codes. Tasks, campaigns,
//! staff, skill groups, numbers and call records keep state in memory; every other
//! action answers its official example (or a minimal valid answer). Fault knobs
//! add latency, rate limiting, 5xx answers and dropped connections.
//!
//! Limits keep it serving whatever clients send: request head and body sizes, time
//! to send a request, idle keep-alive connections closed, at most
//! [`Config::max_connections`] served at once (failed accepts are reported on
//! stderr and retried), and state capped per application ([`MAX_APPS`],
//! [`MAX_ENTRIES`], [`MAX_APP_BYTES`]) with the service's limit error codes.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let emulator = ccc_emulator::Emulator::start(ccc_emulator::Config::default()).await?;
//! println!("listening on {}", emulator.url());
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

pub mod auth;
pub mod clock;
pub mod control;
pub mod faults;
mod freshen;
pub mod http;
pub mod seed;
mod sim;
mod state;
mod sts;
pub mod validate;

pub use ccc_spec as spec_table;

pub use clock::Clock;
pub use faults::{FaultSpec, Faults};
pub use seed::{Seed, SeedError};
pub use state::{MAX_APPS, MAX_APP_BYTES, MAX_ENTRIES};

use faults::{draw, Injected};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// SecretId of the well-known test key pair; valid only against an emulator.
pub const TEST_SECRET_ID: &str = "AKIDEMULATOR000000000000000000000000";
/// SecretKey of the well-known test key pair.
pub const TEST_SECRET_KEY: &str = "EMULATORSECRETKEY000000000000000";

/// How to run an emulator.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on (`127.0.0.1:0` picks a free port).
    pub addr: SocketAddr,
    /// Accepted key pairs, `SecretId` → `SecretKey`.
    pub keys: HashMap<String, String>,
    /// Largest request body accepted, in bytes.
    pub max_body: usize,
    /// How long a client may take to send one request.
    pub read_timeout: Duration,
    /// How long a connection may wait before its next request starts; idle
    /// keep-alive connections are closed after it.
    pub idle_timeout: Duration,
    /// Connections served at once; more wait in the listen backlog until one
    /// ends, so that clients cannot exhaust the process's file descriptors.
    pub max_connections: usize,
    /// Fault knobs.
    pub faults: Faults,
    /// Seed of the dice (faults, and whether simulated calls are answered), so
    /// that runs are repeatable.
    pub seed: u64,
    /// The world it starts with; [`Seed::default`] holds the entities of the
    /// official examples.
    pub world: Seed,
    /// Speed of the simulated clock: `1` real time, `0` stopped (tests move it
    /// with [`Emulator::clock`]), `60` a minute a second.
    pub clock_speed: f64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            keys: HashMap::from([(TEST_SECRET_ID.to_owned(), TEST_SECRET_KEY.to_owned())]),
            max_body: 1 << 20,
            read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(10),
            max_connections: 512,
            faults: Faults::default(),
            seed: 0x5eed,
            world: Seed::default(),
            clock_speed: 1.0,
        }
    }
}

struct Shared {
    keys: HashMap<String, String>,
    max_body: usize,
    read_timeout: Duration,
    idle_timeout: Duration,
    faults: RwLock<Faults>,
    dice: AtomicU64,
    requests: AtomicU64,
    state: state::State,
}

/// A running emulator; stops on [`Emulator::shutdown`] or when dropped.
pub struct Emulator {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Emulator {
    /// Binds and starts serving in the background.
    pub async fn start(config: Config) -> std::io::Result<Emulator> {
        let invalid = |e: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, e);
        let clock = Arc::new(Clock::new(config.clock_speed).map_err(|e| invalid(e.to_string()))?);
        let state =
            state::State::new(&config.world, clock, config.seed).map_err(|(path, message)| {
                invalid(
                    SeedError {
                        origin: "<config>".into(),
                        path,
                        message,
                    }
                    .to_string(),
                )
            })?;
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            keys: config.keys,
            max_body: config.max_body,
            read_timeout: config.read_timeout,
            idle_timeout: config.idle_timeout,
            faults: RwLock::new(config.faults),
            dice: AtomicU64::new(config.seed | 1),
            requests: AtomicU64::new(0),
            state,
        });
        let slots = Arc::new(Semaphore::new(
            config.max_connections.clamp(1, Semaphore::MAX_PERMITS),
        ));
        let task = tokio::spawn(accept_loop(listener, shared.clone(), slots));
        Ok(Emulator { addr, shared, task })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, to give a client as its endpoint.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Replaces the fault knobs.
    pub fn set_faults(&self, faults: Faults) {
        if let Ok(mut f) = self.shared.faults.write() {
            *f = faults;
        }
    }

    /// The simulated clock: [`Clock::advance`] moves tasks, campaigns and
    /// their calls forward.
    pub fn clock(&self) -> Arc<Clock> {
        self.shared.state.clock().clone()
    }

    /// Requests received so far.
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Stops accepting connections.
    pub async fn shutdown(self) {
        self.task.abort();
    }

    /// Serves until the task ends (for the command line).
    pub async fn run_forever(mut self) {
        let task = std::mem::replace(&mut self.task, tokio::spawn(async {}));
        let _ = task.await;
    }
}

/// Shortest and longest pause after a failed `accept`.
const ACCEPT_BACKOFF: (Duration, Duration) = (Duration::from_millis(10), Duration::from_secs(1));

/// Accepts connections for as long as the emulator runs. A failed accept (out of
/// file descriptors or memory, a connection aborted while queued) is passing: it
/// is reported on stderr and retried after a pause growing up to a second, so
/// that the loop neither ends nor spins while the cause lasts.
async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, slots: Arc<Semaphore>) {
    let mut backoff = ACCEPT_BACKOFF.0;
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        match listener.accept().await {
            Ok((stream, _)) => {
                backoff = ACCEPT_BACKOFF.0;
                let shared = shared.clone();
                tokio::spawn(async move {
                    serve_connection(stream, shared).await;
                    drop(slot);
                });
            }
            Err(e) => {
                // Not `eprintln!`: a closed stderr must not end the loop with a panic.
                let _ = writeln!(
                    std::io::stderr(),
                    "ccc-emulator: cannot accept a connection: {e}; retrying in {backoff:?}"
                );
                tokio::time::sleep(backoff).await;
                backoff = backoff.saturating_mul(2).min(ACCEPT_BACKOFF.1);
            }
        }
    }
}

/// Whether a request starts on `stream` within `idle`.
async fn request_arrives(stream: &TcpStream, idle: Duration) -> bool {
    let mut byte = [0u8; 1];
    matches!(tokio::time::timeout(idle, stream.peek(&mut byte)).await, Ok(Ok(n)) if n > 0)
}

async fn serve_connection(mut stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let mut buf = Vec::new();
    loop {
        if buf.is_empty() && !request_arrives(&stream, shared.idle_timeout).await {
            return;
        }
        let request =
            match http::read_request(&mut stream, &mut buf, shared.max_body, shared.read_timeout)
                .await
            {
                Ok(r) => r,
                Err(http::ReadError::Closed) => return,
                Err(http::ReadError::TimedOut) => {
                    let _ = http::write_response(
                        &mut stream,
                        408,
                        "text/plain",
                        b"request not received in time\n",
                        true,
                    )
                    .await;
                    return;
                }
                Err(http::ReadError::TooLarge(len)) => {
                    let body = error_body(
                        "RequestSizeLimitExceeded",
                        &format!(
                            "the request body has {len} bytes; at most {} are accepted",
                            shared.max_body
                        ),
                    );
                    let _ = http::write_response(
                        &mut stream,
                        413,
                        "application/json",
                        body.as_bytes(),
                        true,
                    )
                    .await;
                    return;
                }
                Err(http::ReadError::Malformed(why)) => {
                    let _ = http::write_response(
                        &mut stream,
                        400,
                        "text/plain",
                        format!("{why}\n").as_bytes(),
                        true,
                    )
                    .await;
                    return;
                }
            };
        shared.requests.fetch_add(1, Ordering::Relaxed);
        let close = request
            .header("connection")
            .is_some_and(|c| c.eq_ignore_ascii_case("close"));
        let action = request.header("x-tc-action").unwrap_or_default().to_owned();
        let spec = shared
            .faults
            .read()
            .map(|f| f.for_action(&action))
            .unwrap_or_default();
        if !spec.latency.is_zero() {
            tokio::time::sleep(spec.latency).await;
        }
        let injected = draw(&spec, roll(&shared.dice));
        let written = match injected {
            Injected::Dropped => return,
            Injected::ServerError => {
                http::write_response(
                    &mut stream,
                    502,
                    "text/html",
                    b"<html><body><h1>502 Bad Gateway</h1></body></html>",
                    close,
                )
                .await
            }
            Injected::RateLimited => {
                let body = error_body(
                    "RequestLimitExceeded",
                    "emulated rate limit: too many requests",
                );
                http::write_response(&mut stream, 200, "application/json", body.as_bytes(), close)
                    .await
            }
            Injected::None => {
                let (status, body) = answer(&shared, &request);
                http::write_response(
                    &mut stream,
                    status,
                    "application/json",
                    body.as_bytes(),
                    close,
                )
                .await
            }
        };
        if written.is_err() || close {
            return;
        }
    }
}

/// A number in `0..1` from a shared xorshift state.
fn roll(dice: &AtomicU64) -> f64 {
    let mut x = dice.load(Ordering::Relaxed);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    dice.store(x, Ordering::Relaxed);
    (x >> 11) as f64 / (1u64 << 53) as f64
}

static REQUEST_IDS: AtomicU64 = AtomicU64::new(1);

fn request_id() -> String {
    format!(
        "emulator-{:08x}",
        REQUEST_IDS.fetch_add(1, Ordering::Relaxed)
    )
}

fn error_body(code: &str, message: &str) -> String {
    json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": request_id()}})
        .to_string()
}

/// The status and body answering one request.
fn answer(shared: &Shared, request: &http::Request) -> (u16, String) {
    let clock = shared.state.clock();
    if let Some(answer) = control::answer(&request.method, &request.target, &request.body, clock) {
        return answer;
    }
    if request.method != "POST" {
        return (
            405,
            error_body(
                "UnsupportedProtocol",
                "API 3.0 requests are POSTs with a JSON body",
            ),
        );
    }
    if sts::is_sts(request.header("x-tc-version")) {
        let action = request.header("x-tc-action").unwrap_or_default();
        return match sts::answer(action, &request.headers, &request.body, &shared.keys) {
            Ok(mut response) => {
                response["RequestId"] = json!(request_id());
                (200, json!({ "Response": response }).to_string())
            }
            Err((code, message)) => (200, error_body(code, &message)),
        };
    }
    if let Err((code, message)) = auth::verify(&request.headers, &request.body, &shared.keys) {
        return (200, error_body(code, &message));
    }
    let action_name = request.header("x-tc-action").unwrap_or_default();
    let Some(action) = spec_table::action(action_name) else {
        return (
            200,
            error_body(
                "InvalidAction",
                &format!("`{action_name}` is not an action of ccc"),
            ),
        );
    };
    let version = request.header("x-tc-version").unwrap_or_default();
    if version != ccc_api::VERSION {
        return (
            200,
            error_body(
                "NoSuchVersion",
                &format!("ccc has no version `{version}`; use {}", ccc_api::VERSION),
            ),
        );
    }
    let params = match validate::check_body(action, &request.body) {
        Ok(p) => p,
        Err((code, message)) => return (200, error_body(code, &message)),
    };
    let response = match shared.state.handle(action.name, &params) {
        Some(Ok(mut response)) => {
            response["RequestId"] = json!(request_id());
            json!({ "Response": response })
        }
        Some(Err((code, message))) => {
            debug_assert!(
                validate::documented(action.name, code),
                "{}: the emulator answered {code}, which the action does not document",
                action.name
            );
            return (200, error_body(code, &message));
        }
        None => {
            let mut answer = canned(action);
            freshen::freshen(&mut answer, shared.state.clock().now());
            answer
        }
    };
    (200, response.to_string())
}

/// The official example answer with a fresh request id, or the minimal answer;
/// each parsed once (its times are moved to now by the caller).
fn canned(action: &spec_table::ActionInfo) -> Value {
    static PARSED: std::sync::OnceLock<HashMap<&'static str, Value>> = std::sync::OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        spec_table::ACTIONS
            .iter()
            .map(|a| {
                let text = a.example_response.unwrap_or(a.minimal_response);
                let value = serde_json::from_str(text).unwrap_or_else(|_| json!({"Response": {}}));
                (a.name, value)
            })
            .collect()
    });
    let mut value = parsed
        .get(action.name)
        .cloned()
        .unwrap_or_else(|| json!({"Response": {}}));
    if let Some(response) = value.get_mut("Response").and_then(Value::as_object_mut) {
        response.insert("RequestId".into(), json!(request_id()));
    }
    value
}

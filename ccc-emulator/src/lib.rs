//! A local emulator of the Tencent Cloud Contact Center API, for developing and
//! testing without a cloud account.
//!
//! It speaks the real wire protocol, so this crate's client and the official SDKs
//! work against it unchanged: it checks the signature in every form they send
//! ([`auth`]: TC3 over a JSON POST or a GET query, the older HmacSHA1/HmacSHA256
//! method), the timestamp (five minutes), the action, the version and the
//! parameters against the spec, with the service's error codes. It serves
//! HTTP/1.1 and HTTP/2 on hyper ([`http`], the project's one server stack), and
//! HTTPS with a certificate made at start ([`Config::tls`], `tls` feature). Tasks, campaigns,
//! staff, skill groups, numbers, call records and AI sessions keep state in
//! memory, read from and answered with the generated request and response
//! types ([`validate`], `state`); every other action answers its official
//! example (or a minimal valid answer). Answers carry only the members of the
//! site the emulator stands for ([`Config::site`], [`site`]). Temporary keys it
//! issues through STS sign later calls until they expire on its clock. Fault
//! knobs add latency, rate limiting, 5xx answers and dropped connections.
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
mod flat;
mod freshen;
pub mod http;
pub mod seed;
mod sim;
pub mod site;
mod state;
mod sts;
#[cfg(feature = "tls")]
mod tls;
pub mod validate;

pub use ccc_spec as spec_table;

pub use clock::Clock;
pub use faults::{FaultSpec, Faults};
pub use seed::{Seed, SeedError};
pub use state::{MAX_APPS, MAX_APP_BYTES, MAX_ENTRIES};

use faults::{draw, Injected};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::net::TcpListener;

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
    /// How long a client may take to send a request body once its head arrived
    /// (then `408`).
    pub read_timeout: Duration,
    /// How long a connection may take to send a complete request head once it
    /// is ready for one: idle keep-alive connections (and clients that stall in
    /// the head) are closed after it.
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
    /// Serve HTTPS with a certificate made at start (for `127.0.0.1`, `::1` and
    /// `localhost`, signed by a throw-away authority: see
    /// [`Emulator::certificate_pem`]); needs the `tls` feature.
    pub tls: bool,
    /// The site it stands for: answers carry only the members that site
    /// documents ([`site`]).
    pub site: site::Site,
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
            tls: false,
            site: site::Site::International,
        }
    }
}

struct Shared {
    keys: HashMap<String, String>,
    faults: RwLock<Faults>,
    dice: AtomicU64,
    requests: AtomicU64,
    state: state::State,
    site: site::Site,
    issued: sts::Issued,
}

/// A running emulator; stops on [`Emulator::shutdown`] or when dropped.
pub struct Emulator {
    addr: SocketAddr,
    certificate: Option<String>,
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
        let (transport, certificate) = transport(config.tls)?;
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let limits = http::Limits {
            max_body: config.max_body,
            max_head: http::MAX_HEAD,
            head_timeout: config.idle_timeout,
            body_timeout: config.read_timeout,
            max_connections: config.max_connections,
        };
        let shared = Arc::new(Shared {
            keys: config.keys,
            faults: RwLock::new(config.faults),
            dice: AtomicU64::new(config.seed | 1),
            requests: AtomicU64::new(0),
            state,
            site: config.site,
            issued: sts::Issued::default(),
        });
        let task = tokio::spawn(http::serve(listener, limits, transport, shared.clone()));
        Ok(Emulator {
            addr,
            certificate,
            shared,
            task,
        })
    }

    /// The PEM of the certificate authority to trust for its HTTPS (made at
    /// start, its key never leaves the process); `None` over plain HTTP.
    pub fn certificate_pem(&self) -> Option<&str> {
        self.certificate.as_deref()
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR` (`https://` with TLS), to give a client as its endpoint.
    pub fn url(&self) -> String {
        let scheme = if self.certificate.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
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

/// The emulator as an HTTP handler: fault knobs first, then the service.
impl http::Handler for Shared {
    async fn handle(&self, request: http::Request) -> Option<http::Response> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let action = auth::action_name(&request);
        let spec = self
            .faults
            .read()
            .map(|f| f.for_action(&action))
            .unwrap_or_default();
        if !spec.latency.is_zero() {
            tokio::time::sleep(spec.latency).await;
        }
        Some(match draw(&spec, roll(&self.dice)) {
            Injected::Dropped => return None,
            Injected::ServerError => http::response(
                502,
                "text/html",
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
            ),
            Injected::RateLimited => http::response(
                200,
                "application/json",
                error_body(
                    "RequestLimitExceeded",
                    "emulated rate limit: too many requests",
                ),
            ),
            Injected::None => {
                let (status, body) = answer(self, &request);
                http::response(status, "application/json", body)
            }
        })
    }

    fn refuse(&self, refusal: http::Refusal, limits: &http::Limits) -> http::Response {
        match refusal {
            http::Refusal::TooLarge(declared) => {
                let size = declared.map_or_else(|| "more than that".into(), |n| n.to_string());
                let body = error_body(
                    "RequestSizeLimitExceeded",
                    &format!(
                        "the request body has {size} bytes; at most {} are accepted",
                        limits.max_body
                    ),
                );
                http::response(413, "application/json", body)
            }
            http::Refusal::TimedOut => {
                http::response(408, "text/plain", "request not received in time\n")
            }
            http::Refusal::Malformed(why) => http::response(400, "text/plain", format!("{why}\n")),
        }
    }
}

/// How connections are opened, and the certificate's PEM with TLS.
fn transport(tls: bool) -> std::io::Result<(http::Transport, Option<String>)> {
    if !tls {
        return Ok((http::Transport::Plain, None));
    }
    #[cfg(feature = "tls")]
    {
        let (acceptor, pem) = tls::self_signed()?;
        Ok((http::Transport::Tls(acceptor), Some(pem)))
    }
    #[cfg(not(feature = "tls"))]
    Err(std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "HTTPS needs ccc-emulator's `tls` feature",
    ))
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
    if let Some(answer) = control::answer(&request.method, request.path(), &request.body, clock) {
        return answer;
    }
    if request.method != "POST" && request.method != "GET" {
        return (
            405,
            error_body(
                "UnsupportedProtocol",
                "API 3.0 requests are POSTs (a JSON or form body) or GETs (a query string)",
            ),
        );
    }
    let now = clock.now();
    if sts::is_sts(request.header("x-tc-version")) {
        return match sts::answer(request, &shared.keys, &shared.issued, now) {
            Ok(mut response) => {
                response["RequestId"] = json!(request_id());
                (200, json!({ "Response": response }).to_string())
            }
            Err((code, message)) => (200, error_body(code, &message)),
        };
    }
    let key_of = |id: &str| {
        shared
            .keys
            .get(id)
            .cloned()
            .or_else(|| shared.issued.key_of(id))
    };
    let signed = match auth::verify_with(request, &key_of, Some("ccc"))
        .and_then(|signed| shared.issued.check(&signed, now).map(|()| signed))
    {
        Ok(signed) => signed,
        Err((code, message)) => return (200, error_body(code, &message)),
    };
    let action_name = signed.action.as_str();
    let Some(action) = spec_table::action(action_name) else {
        return (
            200,
            error_body(
                "InvalidAction",
                &format!("`{action_name}` is not an action of ccc"),
            ),
        );
    };
    let version = signed.version.as_str();
    if version != ccc_api::VERSION {
        return (
            200,
            error_body(
                "NoSuchVersion",
                &format!("ccc has no version `{version}`; use {}", ccc_api::VERSION),
            ),
        );
    }
    let body = match signed.params {
        auth::Params::Json(body) => body,
        auth::Params::Flat(pairs) => match flat::to_json(&pairs) {
            Ok(json) => json.to_string().into(),
            Err(message) => return (200, error_body("InvalidParameter", &message)),
        },
    };
    let body = match validate::check_body(action, &body) {
        Ok(checked) => checked,
        Err((code, message)) => return (200, error_body(code, &message)),
    };
    let answered = match shared.state.handle(action.name, &body) {
        Some(answer) => answer,
        None => validate::check_request(action, &body).map(|()| {
            let mut answer = canned(action);
            freshen::freshen(&mut answer, now);
            answer
        }),
    };
    match answered {
        Ok(mut response) => {
            site::cut(shared.site, action, &mut response);
            response["RequestId"] = json!(request_id());
            (200, json!({ "Response": response }).to_string())
        }
        Err((code, message)) => {
            debug_assert!(
                validate::documented(action.name, code),
                "{}: the emulator answered {code}, which the action does not document",
                action.name
            );
            (200, error_body(code, &message))
        }
    }
}

/// The official example answer (the object inside `Response`), or the
/// minimal answer; each parsed once (its times are moved to now by the
/// caller).
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
    parsed
        .get(action.name)
        .and_then(|v| v.get("Response"))
        .cloned()
        .unwrap_or_else(|| json!({}))
}

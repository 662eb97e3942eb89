//! The client against raw `reqwest` sending the same header bytes, in one
//! process, interleaved: calls per second and client CPU time per call, on four
//! paths (sequential and 64 calls in flight, on a multi-thread and on a
//! current-thread runtime).
//!
//! The fixed-answer server runs in a child process (this binary started again
//! with `CCC_BENCH_SERVE` set), so the CPU time read with `getrusage` is the
//! client's alone. CPU per call is far steadier than calls per second on a
//! shared machine; both are printed, as medians over interleaved rounds. A
//! second raw client measured the same way is the control: its difference
//! from the first is what the machine's noise alone makes of identical work.
//!
//! Raw reqwest does no signing and no JSON decoding (it sends a fixed
//! `Authorization`); the last lines measure those two costs of the same call on
//! their own, so the runtime's remaining overhead can be read off.
//!
//! `cargo bench -p ccc-api --bench throughput`

use ccc_api::operation::describe_auto_callout_task::DescribeAutoCalloutTaskRequest;
use ccc_api::{Client, Credentials, RateLimit};
use ccc_emulator::http::{self, Handler, Limits, Request, Response, Transport};
use std::future::Future;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod support;
use support::per_call;

/// Runs per timed batch.
const RUNS: u32 = 50_000;

const SERVE_ENV: &str = "CCC_BENCH_SERVE";
const ANSWER: &str = r#"{"Response":{"IvrId":1,"Name":"foobar","NotBefore":1729905740,"NotAfter":1729905750,"State":1,"Callers":["008610086"],"RequestId":"foobar","Callees":[{"State":1,"Callee":"foobar","Sessions":["foobar"]}],"Description":"foobar"}}"#;
const REQUEST_BODY: &[u8] = br#"{"SdkAppId":1400000000,"TaskId":3}"#;
/// The first request head of each kind of client, to show both send the same
/// header names in the same order.
static HEADS: Mutex<Vec<Vec<String>>> = Mutex::new(Vec::new());

/// Answers every request with `ANSWER`; remembers the header names of the
/// first two requests.
struct Fixed;

impl Handler for Fixed {
    async fn handle(&self, request: Request) -> Option<Response> {
        if let Ok(mut heads) = HEADS.lock() {
            if heads.len() < 2 {
                heads.push(request.headers.iter().map(|(n, _)| n.clone()).collect());
            }
        }
        if request.path() == "/heads" {
            let heads = HEADS.lock().map(|h| format!("{h:?}")).unwrap_or_default();
            return Some(http::response(200, "text/plain", heads));
        }
        Some(http::response(200, "application/json", ANSWER))
    }
}

/// The child: serves until its standard input closes (the parent exited).
fn serve() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("server runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        println!("{}", listener.local_addr().expect("address"));
        tokio::spawn(http::serve(
            listener,
            Limits::default(),
            Transport::Plain,
            Arc::new(Fixed),
        ));
        tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {}
        })
        .await
        .ok();
    });
}

/// User plus system CPU time of this process.
fn cpu_time() -> Duration {
    // SAFETY: `getrusage` fills the struct it is given and nothing else.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

async fn ccc_call(client: Client) {
    client
        .describe_auto_callout_task()
        .sdk_app_id(1400000000)
        .task_id(3)
        .send()
        .await
        .expect("ccc-api call");
}

async fn raw_call(http: reqwest::Client, url: Arc<str>) {
    let response = http
        .post(&*url)
        // The headers ccc-api sends, in its order, with fixed values of the
        // same lengths.
        .header("content-type", "application/json")
        .header("x-tc-action", "DescribeAutoCalloutTask")
        .header("x-tc-timestamp", "1700000000")
        .header("x-tc-version", "2020-02-10")
        .header(
            "x-tc-requestclient",
            ccc_api::SERVICE_DESCRIPTION.request_client(),
        )
        .header("authorization", "TC3-HMAC-SHA256 Credential=AKIDbench/2024-01-01/ccc/tc3_request, SignedHeaders=content-type;host, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
        .body(REQUEST_BODY)
        .send()
        .await
        .expect("raw call");
    response.bytes().await.expect("raw body");
}

/// One round: `n` calls made by `concurrency` tasks; wall and CPU time.
async fn round<F, Fut>(n: usize, concurrency: usize, call: F) -> (Duration, Duration)
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (wall, cpu) = (Instant::now(), cpu_time());
    let per_task = n / concurrency;
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let call = call.clone();
            tokio::spawn(async move {
                for _ in 0..per_task {
                    call().await;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("bench task");
    }
    (wall.elapsed(), cpu_time().saturating_sub(cpu))
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// The client under test (no client-side rate limit) and a raw reqwest
/// client with the transport settings ccc-api gives its own.
fn clients(url: &str) -> (Client, reqwest::Client) {
    let client = Client::builder()
        .credentials(Credentials::new("AKIDbench", "benchkey"))
        .endpoint_url(url)
        .rate_limit(RateLimit::Off)
        .build()
        .expect("client");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(ccc_api::SERVICE_DESCRIPTION.request_client())
        .gzip(true)
        .http1_only()
        .build()
        .expect("raw client");
    (client, http)
}

/// Rounds rotate which side goes first.
const ROUNDS: usize = 9;

/// The client, raw reqwest, and a second raw reqwest client (its own pool,
/// the same settings) as a control: raw against raw shows how far two
/// measurements of the same work differ on this machine, the resolution of
/// the client's figures.
fn path(label: &str, runtime: tokio::runtime::Runtime, url: &str, n: usize, concurrency: usize) {
    runtime.block_on(async {
        let (client, http) = clients(url);
        let (_, control_http) = clients(url);
        let url: Arc<str> = url.into();
        let ccc = {
            let client = client.clone();
            move || ccc_call(client.clone())
        };
        let raw = {
            let (http, url) = (http.clone(), url.clone());
            move || raw_call(http.clone(), url.clone())
        };
        let control = {
            let (http, url) = (control_http.clone(), url.clone());
            move || raw_call(http.clone(), url.clone())
        };
        // Warm the pools and the allocator.
        round(n / 4, concurrency, ccc.clone()).await;
        round(n / 4, concurrency, raw.clone()).await;
        round(n / 4, concurrency, control.clone()).await;
        // Calls per second and CPU µs per call, per round, of each side.
        let mut rate: [Vec<f64>; 3] = Default::default();
        let mut cpu: [Vec<f64>; 3] = Default::default();
        for r in 0..ROUNDS {
            for k in 0..3 {
                let side = (r + k) % 3;
                let (wall, used) = match side {
                    0 => round(n, concurrency, ccc.clone()).await,
                    1 => round(n, concurrency, raw.clone()).await,
                    _ => round(n, concurrency, control.clone()).await,
                };
                rate[side].push(n as f64 / wall.as_secs_f64());
                cpu[side].push(used.as_secs_f64() * 1e6 / n as f64);
            }
        }
        // Medians of the per-round comparisons with raw.
        let against_raw = |side: usize| {
            let ratio = rate[side].iter().zip(&rate[1]).map(|(s, r)| s / r);
            let extra = cpu[side].iter().zip(&cpu[1]).map(|(s, r)| s - r);
            (median(ratio.collect()), median(extra.collect()))
        };
        let ((ratio, extra), (control_ratio, control_extra)) = (against_raw(0), against_raw(2));
        let (c_rate, r_rate) = (median(rate[0].clone()), median(rate[1].clone()));
        let (c_cpu, r_cpu) = (median(cpu[0].clone()), median(cpu[1].clone()));
        println!(
            "{label:<30} ccc-api {c_rate:>6.0}/s {c_cpu:>6.2} µs CPU | raw {r_rate:>6.0}/s {r_cpu:>6.2} µs CPU | calls/s ratio {ratio:.3} | CPU above raw {extra:+.2} µs | control raw/raw {control_ratio:.3}, {control_extra:+.2} µs",
        );
    });
}

/// One side alone, for a profiler.
fn alone(side: &str, runtime: tokio::runtime::Runtime, url: &str) {
    runtime.block_on(async {
        let (client, http) = clients(url);
        let url: Arc<str> = url.into();
        let n = std::env::var("CCC_BENCH_CALLS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(64_000);
        let in_flight = std::env::var("CCC_BENCH_IN_FLIGHT")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(64);
        let (wall, cpu) = if side == "raw" {
            round(n, in_flight, move || raw_call(http.clone(), url.clone())).await
        } else {
            round(n, in_flight, move || ccc_call(client.clone())).await
        };
        println!(
            "{side}: {:.2} µs CPU per call, {:.0} calls/s",
            cpu.as_secs_f64() * 1e6 / n as f64,
            n as f64 / wall.as_secs_f64()
        );
    });
}

fn main() {
    if std::env::var_os(SERVE_ENV).is_some() {
        return serve();
    }
    let mut server = Command::new(std::env::current_exe().expect("own path"))
        .env(SERVE_ENV, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("server process");
    let mut address = String::new();
    BufReader::new(server.stdout.take().expect("server output"))
        .read_line(&mut address)
        .expect("server address");
    let url = format!("http://{}/", address.trim());

    let multi = || {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime")
    };
    let current = || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    };
    // `CCC_BENCH_ONLY=ccc` (or `raw`): one side alone, 64 in flight on the
    // multi-thread runtime (`CCC_BENCH_RUNTIME=current`: the current-thread
    // one), `CCC_BENCH_CALLS` calls (64,000 by default) by
    // `CCC_BENCH_IN_FLIGHT` tasks (64), to run under a profiler.
    if let Ok(side) = std::env::var("CCC_BENCH_ONLY") {
        // A server of one's own (`CCC_BENCH_SERVE=1` prints its address)
        // keeps the profile to the client.
        let url = std::env::var("CCC_BENCH_URL").unwrap_or(url);
        let runtime = match std::env::var("CCC_BENCH_RUNTIME").as_deref() {
            Ok("current") => current(),
            _ => multi(),
        };
        alone(&side, runtime, &url);
        drop(server.stdin.take());
        let _ = server.wait();
        return;
    }
    path("sequential, multi-thread", multi(), &url, 4000, 1);
    path("sequential, current-thread", current(), &url, 4000, 1);
    path("64 in flight, multi-thread", multi(), &url, 25_600, 64);
    path("64 in flight, current-thread", current(), &url, 25_600, 64);

    let heads = current().block_on(async {
        let heads = reqwest::get(format!("{url}heads")).await.expect("heads");
        heads.text().await.expect("heads text")
    });
    println!("header names sent (ccc-api, then raw): {heads}");

    // The work raw reqwest skips: the signature (key cached, as the client
    // keeps it) and the typed decode of the answer.
    let key = ccc_api::signing::SigningKey::derive("benchkey", 1_700_000_000, "ccc");
    let signer = ccc_api::signing::PostSigner::new("application/json", "127.0.0.1:8080");
    let sign = per_call(RUNS, || {
        std::hint::black_box(signer.authorization(
            "AKIDbench",
            &key,
            std::hint::black_box(1_700_000_000),
            std::hint::black_box(REQUEST_BODY),
        ));
    });
    let decode = per_call(RUNS, || {
        let body = std::hint::black_box(ANSWER.as_bytes()).to_vec();
        std::hint::black_box(
            ccc_api::decode_response::<DescribeAutoCalloutTaskRequest>(200, body).expect("decodes"),
        );
    });
    println!(
        "work raw reqwest does not do, per call: signing {:.2} µs, typed decode {:.2} µs",
        sign / 1000.0,
        decode / 1000.0
    );
    drop(server.stdin.take());
    let _ = server.wait();
}

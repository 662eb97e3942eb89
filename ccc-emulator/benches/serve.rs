//! Load on the emulator as a user's load test would put it: the emulator
//! serves in its own process (this bench started again as a child, so that
//! its memory is the emulator's alone), and 64 clients of this crate's client,
//! each on its own keep-alive connection, send one million signed requests:
//! reads of state (`DescribeAutoCalloutTasks`), canned answers
//! (`DescribeIvrAudioList`) and writes (`CreateAutoCalloutTask`, refused with
//! `LimitExceeded` once the application holds its cap of tasks). It prints
//! requests per second, latency percentiles, and the emulator's resident
//! memory (VmRSS) before and after.
//!
//! `cargo bench -p ccc-emulator --bench serve` (release); `BENCH_REQUESTS=N`
//! sends N requests instead. The clients and the emulator share the machine:
//! on two cores the clients' signing takes a good part of it.

use ccc_api::{Client, Credentials, RateLimit, RetryConfig};
use ccc_emulator::{Config, Emulator, TEST_SECRET_ID, TEST_SECRET_KEY};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Set in the child, which serves.
const CHILD: &str = "CCC_EMULATOR_BENCH_SERVE";
const CLIENTS: usize = 64;

fn main() {
    if std::env::var_os(CHILD).is_some() {
        serve();
        return;
    }
    let requests: usize = std::env::var("BENCH_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let (mut child, url) = start_child();
    let pid = child.id();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let before = rss_kib(pid);
    let (elapsed, mut latencies, refused) = runtime.block_on(drive(&url, requests));
    let after = rss_kib(pid);
    let _ = child.kill();
    let _ = child.wait();
    latencies.sort_unstable();
    let at = |q: f64| {
        let i = ((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1));
        Duration::from_micros(latencies.get(i).copied().unwrap_or(0))
    };
    println!(
        "{requests} requests from {CLIENTS} keep-alive clients in {:.1} s: {:.0} requests/s",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64()
    );
    println!(
        "latency p50 {:?}, p90 {:?}, p99 {:?}, p99.9 {:?}, max {:?}",
        at(0.50),
        at(0.90),
        at(0.99),
        at(0.999),
        at(1.0)
    );
    println!("writes refused at the state cap: {refused}");
    println!(
        "emulator resident memory: {} KiB after start-up and warm-up, {} KiB after the run",
        before.map_or("?".into(), |k| k.to_string()),
        after.map_or("?".into(), |k| k.to_string())
    );
}

/// The child: an emulator on a free port, its URL on stdout, serving until
/// killed.
fn serve() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let emulator = Emulator::start(Config::default())
            .await
            .expect("the emulator starts");
        println!("{}", emulator.url());
        emulator.run_forever().await;
    });
}

fn start_child() -> (Child, String) {
    let exe = std::env::current_exe().expect("the bench's own path");
    let mut child = Command::new(exe)
        .env(CHILD, "1")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the serving child starts");
    let mut line = String::new();
    if let Some(out) = child.stdout.take() {
        let _ = BufReader::new(out).read_line(&mut line);
    }
    (child, line.trim().to_owned())
}

/// Resident memory of process `pid`, in KiB (Linux).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Sends `requests` requests from [`CLIENTS`] clients: the time taken, each
/// request's latency in microseconds, and the writes refused at the cap.
async fn drive(url: &str, requests: usize) -> (Duration, Vec<u64>, usize) {
    let client = |url: &str| {
        Client::builder()
            .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
            .endpoint_url(url)
            .rate_limit(RateLimit::Off)
            .retry(RetryConfig::disabled())
            .build()
            .expect("a client")
    };
    // Warm-up: connections open, answers parsed once.
    let warm = client(url);
    for _ in 0..200 {
        let _ = one(&warm, 0).await;
    }
    let started = Instant::now();
    let per_client = requests / CLIENTS;
    let tasks: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let c = client(url);
            let count = per_client + usize::from(n < requests % CLIENTS);
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(count);
                let mut refused = 0;
                for i in 0..count {
                    let sent = Instant::now();
                    refused += usize::from(!one(&c, n * count + i).await);
                    latencies.push(sent.elapsed().as_micros() as u64);
                }
                (latencies, refused)
            })
        })
        .collect();
    let mut all = Vec::with_capacity(requests);
    let mut refused = 0;
    for t in tasks {
        let (latencies, r) = t.await.expect("a client task");
        all.extend(latencies);
        refused += r;
    }
    (started.elapsed(), all, refused)
}

/// Request number `i` of the mix: 8 reads of state, 1 canned answer, 1 write
/// in 10. False when a write was refused at the state cap; any other failure
/// ends the bench.
async fn one(c: &Client, i: usize) -> bool {
    match i % 10 {
        0 => {
            let created = c
                .create_auto_callout_task()
                .sdk_app_id(1400000000)
                .not_before(0)
                .callees(["008613900000001", "008613900000002"])
                .callers(["0086075586013388"])
                .ivr_id(4500)
                .send()
                .await;
            match created {
                Ok(_) => true,
                Err(e) if e.raw_code() == Some("LimitExceeded") => false,
                Err(e) => panic!("CreateAutoCalloutTask: {e}"),
            }
        }
        1 => {
            c.describe_ivr_audio_list()
                .sdk_app_id(1400000000)
                .page_number(0)
                .page_size(10)
                .send()
                .await
                .expect("DescribeIvrAudioList");
            true
        }
        _ => {
            c.describe_auto_callout_tasks()
                .sdk_app_id(1400000000)
                .page_number(0)
                .page_size(10)
                .send()
                .await
                .expect("DescribeAutoCalloutTasks");
            true
        }
    }
}

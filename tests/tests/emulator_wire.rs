//! The emulator at its wire boundary: hostile header values, mutated requests,
//! connections that never send anything, and extreme numbers run through its
//! simulation must each get a proper answer (or a closed connection) without a
//! panic, and it must keep serving afterwards.
//! Panics are counted by a hook, since a panic in a connection's task would
//! otherwise only drop that one connection unnoticed; this file is its own test
//! binary, so the count is the emulator's.

use ccc_api::{Client, Credentials, RateLimit, RetryConfig};
use ccc_emulator::spec_table::{ActionInfo, MemberInfo, ACTIONS};
use ccc_emulator::{Config, Emulator, TEST_SECRET_ID, TEST_SECRET_KEY};
use ccc_tests::wire::{error_code, now, raw, signed, valid};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

static PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // A failed assertion of a test here is no panic of the emulator.
            if !info
                .location()
                .is_some_and(|l| l.file().contains("tests/tests/"))
            {
                PANICS.fetch_add(1, Ordering::SeqCst);
            }
            default(info);
        }));
    });
}

async fn emulator() -> Emulator {
    count_panics();
    Emulator::start(Config {
        read_timeout: Duration::from_millis(500),
        idle_timeout: Duration::from_millis(500),
        ..Config::default()
    })
    .await
    .unwrap()
}

/// A valid request still gets its proper answer.
async fn still_serves(addr: SocketAddr) {
    let answer = raw(addr, &valid("DescribeNumbers", br#"{"SdkAppId":9}"#, addr)).await;
    assert!(answer.contains("\"TotalCount\":12"), "{answer}");
}

/// `request` with the value of header `name` replaced (`None`: removed).
fn with_header(request: &[u8], name: &str, value: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(request);
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines: Vec<String> = head
        .split("\r\n")
        .filter(|l| {
            !l.to_ascii_lowercase()
                .starts_with(&format!("{}:", name.to_ascii_lowercase()))
        })
        .map(str::to_owned)
        .collect();
    if let Some(v) = value {
        lines.push(format!("{name}: {v}"));
    }
    format!("{}\r\n\r\n{body}", lines.join("\r\n")).into_bytes()
}

#[tokio::test]
async fn hostile_header_values_get_the_service_error_codes() {
    let e = emulator().await;
    let addr = e.addr();
    let base = valid("DescribeNumbers", br#"{"SdkAppId":9}"#, addr);
    let scope = format!("Credential={TEST_SECRET_ID}/2024-01-01/ccc/tc3_request");
    let huge = "9".repeat(8000);
    let repeated = vec!["x-a"; 2000].join(";");
    let header_cases: Vec<(&str, Option<String>, &str)> = vec![
        ("X-TC-Timestamp", Some(i64::MIN.to_string()), "AuthFailure.SignatureExpire"),
        ("X-TC-Timestamp", Some(i64::MAX.to_string()), "AuthFailure.SignatureExpire"),
        ("X-TC-Timestamp", Some(u64::MAX.to_string()), "AuthFailure.SignatureExpire"),
        ("X-TC-Timestamp", Some(format!("-{huge}")), "AuthFailure.SignatureExpire"),
        ("X-TC-Timestamp", Some(huge.clone()), "AuthFailure.SignatureExpire"),
        ("X-TC-Timestamp", Some("0".into()), "AuthFailure.SignatureExpire"),
        // Past the 5 minutes by more than the seconds the server's clock may
        // move on while the case is sent.
        ("X-TC-Timestamp", Some((now() - 330).to_string()), "AuthFailure.SignatureExpire"),
        ("X-TC-Timestamp", Some((now() + 330).to_string()), "AuthFailure.SignatureExpire"),
        ("X-TC-Timestamp", Some("".into()), "InvalidParameter"),
        ("X-TC-Timestamp", Some("soon".into()), "InvalidParameter"),
        ("X-TC-Timestamp", Some("1.7e9".into()), "InvalidParameter"),
        ("X-TC-Timestamp", Some("0x10".into()), "InvalidParameter"),
        ("X-TC-Timestamp", Some("--1".into()), "InvalidParameter"),
        ("X-TC-Timestamp", None, "MissingParameter"),
        ("Authorization", None, "AuthFailure.InvalidAuthorization"),
        ("Authorization", Some("".into()), "AuthFailure.InvalidAuthorization"),
        ("Authorization", Some("Basic dXNlcjpwYXNz".into()), "AuthFailure.InvalidAuthorization"),
        ("Authorization", Some("TC3-HMAC-SHA256".into()), "AuthFailure.InvalidAuthorization"),
        ("Authorization", Some("TC3-HMAC-SHA256 ,,,==,".into()), "AuthFailure.InvalidAuthorization"),
        (
            "Authorization",
            Some("TC3-HMAC-SHA256 Credential=, SignedHeaders=, Signature=".into()),
            "AuthFailure.InvalidAuthorization",
        ),
        (
            "Authorization",
            Some(format!("TC3-HMAC-SHA256 Credential={TEST_SECRET_ID}/a/b/c/tc3_request, SignedHeaders=host, Signature=00")),
            "AuthFailure.InvalidAuthorization",
        ),
        (
            "Authorization",
            Some("TC3-HMAC-SHA256 Credential=AKIDnobody/2024-01-01/ccc/tc3_request, SignedHeaders=host, Signature=00".into()),
            "AuthFailure.SecretIdNotFound",
        ),
        (
            "Authorization",
            Some("TC3-HMAC-SHA256 Credential=é☃/2024-01-01/ccc/tc3_request, SignedHeaders=host, Signature=00".into()),
            "AuthFailure.SecretIdNotFound",
        ),
        (
            "Authorization",
            Some(format!("TC3-HMAC-SHA256 {scope}, SignedHeaders=, Signature=00")),
            "AuthFailure.SignatureFailure",
        ),
        (
            "Authorization",
            Some(format!("TC3-HMAC-SHA256 {scope}, SignedHeaders=host;host, Signature=00")),
            "AuthFailure.SignatureFailure",
        ),
        (
            "Authorization",
            Some(format!("TC3-HMAC-SHA256 {scope}, SignedHeaders=x-tc-action;host, Signature=00")),
            "AuthFailure.SignatureFailure",
        ),
        (
            "Authorization",
            Some(format!("TC3-HMAC-SHA256 {scope}, SignedHeaders={repeated}, Signature=00")),
            "AuthFailure.SignatureFailure",
        ),
        (
            "Authorization",
            Some(format!("TC3-HMAC-SHA256 {scope}, SignedHeaders=host, Signature={huge}")),
            "AuthFailure.SignatureFailure",
        ),
        (
            "Authorization",
            Some(format!("TC3-HMAC-SHA256 {scope}, SignedHeaders=nothere, Signature=00")),
            "AuthFailure.SignatureFailure",
        ),
    ];
    let mut cases = 0;
    for (name, value, expected) in &header_cases {
        let request = with_header(&base, name, value.as_deref());
        let answer = raw(addr, &request).await;
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "{name}: {value:?}: {answer:.300}"
        );
        assert_eq!(
            error_code(&answer).as_deref(),
            Some(*expected),
            "{name}: {value:.60?}: {answer:.300}"
        );
        cases += 1;
    }
    // Hostile values of signed headers, validly signed: the action and the version.
    let host = addr.to_string();
    let long_action = "Describe".repeat(1000);
    for (action, version, expected) in [
        ("", ccc_api::VERSION, "InvalidAction"),
        (long_action.as_str(), ccc_api::VERSION, "InvalidAction"),
        ("../DescribeNumbers", ccc_api::VERSION, "InvalidAction"),
        ("Describe☃", ccc_api::VERSION, "InvalidAction"),
        ("DescribeNumbers", "", "NoSuchVersion"),
        ("DescribeNumbers", "9999-99-99", "NoSuchVersion"),
        ("DescribeNumbers", &long_action, "NoSuchVersion"),
    ] {
        let answer = raw(
            addr,
            &signed(action, version, now(), br#"{"SdkAppId":9}"#, &host),
        )
        .await;
        assert_eq!(
            error_code(&answer).as_deref(),
            Some(expected),
            "{action:.40} {version:.40}: {answer:.300}"
        );
        cases += 1;
    }
    // Framing: HTTP answers, not service errors, and the connection ends. A
    // length beyond what can be counted is refused while the head is read (431);
    // a body over the limit is refused on its declared length (413).
    let framing: Vec<(Vec<u8>, &str)> = vec![
        (
            with_header(&base, "Content-Length", Some(&u64::MAX.to_string())),
            "HTTP/1.1 431",
        ),
        (
            with_header(&base, "Content-Length", Some(&(u64::MAX / 4).to_string())),
            "HTTP/1.1 413",
        ),
        (
            with_header(&base, "Content-Length", Some("18446744073709551616")),
            "HTTP/1.1 400",
        ),
        (
            with_header(&base, "Content-Length", Some("-1")),
            "HTTP/1.1 400",
        ),
        (
            with_header(&base, "Content-Length", Some("")),
            "HTTP/1.1 400",
        ),
        (
            with_header(&base, "X-Huge", Some(&"a".repeat(20_000))),
            "HTTP/1.1 431",
        ),
        (with_header(&base, "X-Nul", Some("a\u{0}b")), "HTTP/1.1 400"),
        (
            with_header(&base, "Transfer-Encoding", Some("chunked")),
            "HTTP/1.1 400",
        ),
    ];
    for (i, (request, status)) in framing.iter().enumerate() {
        let answer = raw(addr, request).await;
        assert!(
            answer.starts_with(status),
            "case {i}: {status}: {answer:.300}"
        );
        cases += 1;
    }
    assert_eq!(cases, 44);
    still_serves(addr).await;
    assert_eq!(PANICS.load(Ordering::SeqCst), 0);
}

/// Deterministic pseudo-random numbers (xorshift64).
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn ints() -> Vec<Value> {
    vec![
        json!(0),
        json!(1),
        json!(-1),
        json!(25),
        json!(i64::MIN),
        json!(i64::MAX),
        json!(u64::MAX),
        json!(i32::MAX),
        json!(1_700_000_000),
    ]
}

/// A value for `m`: mostly of its type, at the edges of its range, sometimes not.
fn value_for(m: &MemberInfo, d: &mut Dice, example: Option<&Value>) -> Value {
    if d.below(5) == 0 {
        return d
            .pick(&[
                json!(null),
                json!("x"),
                json!(1.5e308),
                json!(-0.0),
                json!([[[[[[[[[[[]]]]]]]]]]]),
                json!({"": {}}),
                json!(true),
            ])
            .clone();
    }
    let string = |d: &mut Dice| match d.below(4) {
        0 => String::new(),
        1 => "☃\u{0}\"\\".repeat(d.below(100)),
        2 => "a".repeat(d.below(1000)),
        _ => format!("0086139{:08}", d.below(100_000_000)),
    };
    match (m.kind, m.spec_type) {
        ("int64" | "uint64", _) => d.pick(&ints()).clone(),
        ("float", _) => d
            .pick(&[json!(0.0), json!(-1e308), json!(1e308), json!(0.5)])
            .clone(),
        ("bool", _) => json!(d.below(2) == 0),
        ("string", _) => json!(string(d)),
        (_, "list<string>") => (0..*d.pick(&[0, 1, 3, 500]))
            .map(|_| json!(string(d)))
            .collect(),
        (_, "list<int64>" | "list<uint64>") => (0..*d.pick(&[0, 1, 3, 20_000]))
            .map(|_| d.pick(&ints()).clone())
            .collect(),
        _ => example.cloned().unwrap_or_else(|| json!([])),
    }
}

fn example_input(action: &str) -> Option<Value> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/ccc/2020-02-10/actions"
    );
    let path = codegen::load::entry_path(std::path::Path::new(dir), action);
    let spec: Value = codegen::load::parse_entry(&path).ok()?;
    spec["examples"].get(0).map(|e| e["input"].clone())
}

/// A body for `action` that often passes validation, with edge values in it.
fn body_for(action: &ActionInfo, d: &mut Dice) -> Vec<u8> {
    let example = example_input(action.name)
        .or_else(|| serde_json::from_str(action.minimal_request).ok())
        .unwrap_or_else(|| json!({}));
    let mut params = example.clone();
    for m in action.input {
        match d.below(3) {
            0 => {}
            1 => params[m.name] = value_for(m, d, example.get(m.name)),
            _ if !m.required => {
                if let Some(o) = params.as_object_mut() {
                    o.remove(m.name);
                }
            }
            _ => {}
        }
    }
    if d.below(8) == 0 {
        params["Unknown"] = json!(1);
    }
    serde_json::to_vec(&params).unwrap()
}

/// `request` with bytes flipped, inserted, removed, or cut off.
fn mangle(request: &[u8], d: &mut Dice) -> Vec<u8> {
    let mut out = request.to_vec();
    for _ in 0..1 + d.below(4) {
        if out.is_empty() {
            break;
        }
        let at = d.below(out.len());
        match d.below(5) {
            0 => out[at] = d.next() as u8,
            1 => out.insert(at, *d.pick(b"\r\n:;,= 0-9\x00\xff")),
            2 => {
                out.remove(at);
            }
            3 => out.truncate(at),
            _ => {
                let end = (at + d.below(64)).min(out.len());
                let chunk = out[at..end].to_vec();
                out.splice(at..at, chunk.iter().copied().cycle().take(chunk.len() * 50));
            }
        }
    }
    out
}

/// Sends `request`, half-closes, and reads the answer (empty when the server
/// closed the connection without one).
async fn exchange(addr: SocketAddr, request: &[u8]) -> String {
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let _ = s.write_all(request).await;
    let _ = s.shutdown().await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn mutated_requests_never_stop_it() {
    let e = emulator().await;
    let addr = e.addr();
    let host = addr.to_string();
    let mut d = Dice(0x9e37_79b9_7f4a_7c15);
    let started = Instant::now();
    let (mut signed_bodies, mut mangled, mut answered) = (0, 0, 0);
    while started.elapsed() < Duration::from_secs(3) {
        let action = d.pick(ACTIONS);
        let body = body_for(action, &mut d);
        let request = signed(action.name, ccc_api::VERSION, now(), &body, &host);
        if d.below(2) == 0 {
            // Well-formed and validly signed: always a service answer with a request id.
            let answer = exchange(addr, &request).await;
            let json: Value = answer
                .split_once("\r\n\r\n")
                .and_then(|(_, b)| serde_json::from_str(b).ok())
                .unwrap_or_else(|| panic!("{}: {answer:.500}", action.name));
            let status_ok = answer.starts_with("HTTP/1.1 200")
                || answer.starts_with("HTTP/1.1 413")
                    && json["Response"]["Error"]["Code"] == "RequestSizeLimitExceeded";
            assert!(
                status_ok && json["Response"]["RequestId"].is_string(),
                "{}: {answer:.500}",
                action.name
            );
            signed_bodies += 1;
        } else {
            // Anything: an HTTP answer, or the connection closed without one.
            let answer = exchange(addr, &mangle(&request, &mut d)).await;
            assert!(
                answer.is_empty() || answer.starts_with("HTTP/1.1 "),
                "{answer:.300}"
            );
            answered += usize::from(!answer.is_empty());
            mangled += 1;
        }
        assert_eq!(PANICS.load(Ordering::SeqCst), 0, "the emulator panicked");
    }
    println!("{signed_bodies} signed bodies, {mangled} mangled requests ({answered} answered)");
    assert!(signed_bodies > 50 && mangled > 50);
    still_serves(addr).await;
}

#[tokio::test]
async fn idle_connections_are_closed_and_capped() {
    count_panics();
    let e = Emulator::start(Config {
        max_connections: 2,
        idle_timeout: Duration::from_secs(3600),
        ..Config::default()
    })
    .await
    .unwrap();
    let addr = e.addr();
    // Two idle connections take both slots: a third client waits in the backlog.
    let first = tokio::net::TcpStream::connect(addr).await.unwrap();
    let _second = tokio::net::TcpStream::connect(addr).await.unwrap();
    let waiting = tokio::spawn(async move {
        raw(addr, &valid("DescribeNumbers", br#"{"SdkAppId":9}"#, addr)).await
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "served beyond the cap");
    // One idle client leaves: the waiting one is served.
    drop(first);
    let answer = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .unwrap()
        .unwrap();
    assert!(answer.contains("\"TotalCount\":12"), "{answer}");

    // With a short idle timeout, an idle connection (fresh, or kept alive after a
    // request) is closed by the emulator.
    let e = Emulator::start(Config {
        idle_timeout: Duration::from_millis(200),
        ..Config::default()
    })
    .await
    .unwrap();
    let mut idle = tokio::net::TcpStream::connect(e.addr()).await.unwrap();
    let mut out = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), idle.read_to_end(&mut out)).await;
    assert!(matches!(read, Ok(Ok(0))), "{read:?}");
    let mut kept = tokio::net::TcpStream::connect(e.addr()).await.unwrap();
    let request = String::from_utf8(valid("DescribeNumbers", br#"{"SdkAppId":9}"#, e.addr()))
        .unwrap()
        .replace("Connection: close", "Connection: keep-alive");
    kept.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), kept.read_to_end(&mut out)).await;
    assert!(matches!(read, Ok(Ok(_))), "{read:?}");
    // Answered, kept open (HTTP/1.1 keeps connections alive unless told
    // otherwise), then closed for being idle.
    let answer = String::from_utf8_lossy(&out);
    assert!(
        !answer.contains("connection: close") && answer.contains("\"TotalCount\":12"),
        "{answer}"
    );
    assert_eq!(PANICS.load(Ordering::SeqCst), 0);
}

// The simulation under extreme numbers: every integer member of the actions
// that create or change dialing state, set to each edge value, then the
// simulated clock moved by a second, a day and a century, and the state read
// back. Every call is answered (success or a documented refusal); arithmetic
// on times, tries and intervals is where overflow would hide.

/// The actions whose integers drive the simulation, with a request that
/// succeeds on the default seed (the official example, or the minimal one).
const DRIVERS: &[&str] = &[
    "CreateAutoCalloutTask",
    "CreatePredictiveDialingCampaign",
    "UpdatePredictiveDialingCampaign",
    "CreateAgentCruiseDialingCampaign",
];

/// Read-backs that walk the simulated state after the clock moved, asked of
/// the application the driving request named.
const READS: &[&str] = &[
    "DescribeAutoCalloutTasks",
    "DescribePredictiveDialingCampaigns",
    "DescribeTelCallInfo",
    "DescribeTelCdr",
];

/// `read`'s minimal request, for application `app`.
fn read_request(read: &str, app: &Value) -> Value {
    let info = ACTIONS.iter().find(|a| a.name == read).unwrap();
    let mut body: Value = serde_json::from_str(info.minimal_request).unwrap();
    body["SdkAppId"] = app.clone();
    body
}

fn example_or_minimal(action: &str) -> Value {
    example_input(action).unwrap_or_else(|| {
        let info = ACTIONS.iter().find(|a| a.name == action).unwrap();
        serde_json::from_str(info.minimal_request).unwrap()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extreme_integers_never_break_the_simulation() {
    count_panics();
    let (mut calls, mut accepted) = (0, 0);
    for action in DRIVERS {
        let info = ACTIONS.iter().find(|a| a.name == *action).unwrap();
        for m in info
            .input
            .iter()
            .filter(|m| matches!(m.kind, "int64" | "uint64"))
        {
            for value in ints() {
                let e = Emulator::start(Config {
                    clock_speed: 0.0,
                    ..Config::default()
                })
                .await
                .unwrap();
                let c = Client::builder()
                    .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
                    .endpoint_url(e.url())
                    .rate_limit(RateLimit::Off)
                    .retry(RetryConfig::disabled())
                    .build()
                    .unwrap();
                let mut params = example_or_minimal(action);
                params[m.name] = value.clone();
                // Success or a refusal: either way an answer, not a panic.
                let outcome = c.call(action, &params).await;
                assert!(
                    outcome.is_ok() || outcome.as_ref().is_err_and(|e| e.code().is_some()),
                    "{action}.{} = {value}: {outcome:?}",
                    m.name
                );
                accepted += usize::from(outcome.is_ok());
                calls += 1;
                for step in [1, 86_400, 100 * 365 * 86_400] {
                    e.clock().advance(Duration::from_secs(step));
                    for read in READS {
                        let body = read_request(read, &params["SdkAppId"]);
                        let answer = c.call(read, &body).await;
                        assert!(
                            answer.is_ok() || answer.as_ref().is_err_and(|e| e.code().is_some()),
                            "{action}.{} = {value}, then {read}: {answer:?}",
                            m.name
                        );
                        calls += 1;
                    }
                }
                assert_eq!(
                    PANICS.load(Ordering::SeqCst),
                    0,
                    "{action}.{} = {value} panicked the emulator",
                    m.name
                );
            }
        }
    }
    println!("{calls} calls; {accepted} driving requests with an edge value accepted");
    // Most edges are inside the documented ranges (or have none), so the
    // simulation really ran with them.
    assert!(
        calls > 100 && accepted > 20,
        "{calls} calls, {accepted} accepted"
    );
}

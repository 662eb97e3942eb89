//! The wire boundary as a hostile server and a careless caller would probe it,
//! over HTTP on 127.0.0.1: no error envelope taken for success, memory bounded
//! whatever arrives, no redirect followed and no unsafe repeat, no secret in
//! errors, and no panic on extreme configuration values.

use ccc_api::credentials::CredentialsFuture;
use ccc_api::{
    Client, Credentials, DecodeErrorKind, ProvideCredentials, RateLimit, RequestOptions,
    RetryConfig, SdkError, TransportErrorKind,
};
use ccc_tests::server::{Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};
use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Counts live heap bytes and their peak, to show memory stays bounded.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new) };
        if !q.is_null() {
            if new >= layout.size() {
                let now =
                    LIVE.fetch_add(new - layout.size(), Ordering::Relaxed) + new - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new, Ordering::Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Tests that measure memory run one at a time, so that the peak is theirs.
static MEASURING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const TASK: &str = r#"{"Response":{"Name":"n","Description":"d","NotBefore":1,"NotAfter":null,"Callers":[],"Callees":[],"IvrId":1,"State":1,"RequestId":"ok-1"}}"#;

fn builder(server: &TestServer) -> ccc_api::ClientBuilder {
    Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY).with_token("tok-SECRET-1"))
        .endpoint_url(server.url())
        .rate_limit(RateLimit::Off)
        .retry(
            RetryConfig::new()
                .max_attempts(3)
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
        .timeout(Duration::from_secs(20))
}

fn client(server: &TestServer) -> Client {
    builder(server).build().expect("client")
}

async fn describe(
    c: &Client,
) -> Result<
    ccc_api::operation::describe_auto_callout_task::DescribeAutoCalloutTaskResponse,
    ccc_api::Error,
> {
    Ok(c.describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .send()
        .await?)
}

async fn create(c: &Client, options: RequestOptions) -> Result<(), ccc_api::Error> {
    c.create_auto_callout_task()
        .sdk_app_id(1)
        .not_before(0)
        .callees(vec!["008613900000000"])
        .callers(vec!["008610000"])
        .ivr_id(1)
        .options(options)
        .send()
        .await?;
    Ok(())
}

/// The verdict the rule gives for a body: a service error with this code, or a
/// malformed error object.
#[derive(Debug, PartialEq)]
enum Verdict {
    Service(&'static str),
    Malformed,
}

/// Every shape of error envelope seen from a fuzzer or a misbehaving server:
/// each must fail the call, typed and untyped alike.
#[tokio::test]
async fn an_error_member_always_fails_the_call() {
    use Verdict::*;
    let ok = r#""Name":"n","Description":"d","NotBefore":1,"NotAfter":null,"Callers":[],"Callees":[],"IvrId":1,"State":1"#;
    let cases: Vec<(String, Verdict)> = vec![
        (r#"{"Response":{"Error":{"Code":"InvalidParameter","Message":null},"RequestId":"r"}}"#.into(), Service("InvalidParameter")),
        (r#"{"Response":{"Error":{"Code":"InvalidParameter"}}}"#.into(), Service("InvalidParameter")),
        (r#"{"Response":{"Error":{"Code":"X","Message":"m","Extra":[1]},"RequestId":7}}"#.into(), Service("X")),
        (format!(r#"{{"Response":{{{ok},"Error":{{"Code":"InvalidParameterValue","Message":"m"}},"RequestId":"r"}}}}"#), Service("InvalidParameterValue")),
        (r#"{"Response":{"\u0045rror":{"Code":"InvalidParameter","Message":"m"},"RequestId":"r"}}"#.into(), Service("InvalidParameter")),
        (r#"{"Response":{"Error":{"\u0043ode":"InvalidParameter","Message":"m"},"RequestId":"r"}}"#.into(), Service("InvalidParameter")),
        (format!(r#"{{"Response":{{{ok},"Er\u0072or":{{"Code":"A"}},"RequestId":"r"}}}}"#), Service("A")),
        (r#"{"Response":{"Error":{"Code":4000,"Message":"m"},"RequestId":"r"}}"#.into(), Malformed),
        (r#"{"Response":{"Error":{"Code":"A","Code":"B","Message":"m"},"RequestId":"r"}}"#.into(), Malformed),
        (r#"{"Response":{"Error":"boom","RequestId":"r"}}"#.into(), Malformed),
        (r#"{"Response":{"Error":null,"RequestId":"r"}}"#.into(), Malformed),
        (r#"{"Response":{"Error":{},"RequestId":"r"}}"#.into(), Malformed),
        (r#"{"Response":{"Error":{"Message":"m"},"RequestId":"r"}}"#.into(), Malformed),
        (r#"{"Response":{"Error":{"Code":null},"RequestId":"r"}}"#.into(), Malformed),
        (r#"{"Response":{"Error":{"Code":"A","Message":5},"RequestId":"r"}}"#.into(), Malformed),
        (r#"{"Response":{"Error":[{"Code":"A"}],"RequestId":"r"}}"#.into(), Malformed),
        (format!(r#"{{"Response":{{{ok},"Error":{{"Code":"A"}},"Error":{{"Code":"A"}},"RequestId":"r"}}}}"#), Malformed),
        (format!(r#"{{"Response":{{{ok},"RequestId":"r","Error":false}}}}"#), Malformed),
    ];
    for (body, expected) in cases {
        let reply = body.clone();
        let server = TestServer::start(move |_| Reply::json(reply.clone())).await;
        let c = client(&server);
        let typed = describe(&c).await;
        let untyped = c
            .call(
                "DescribeAutoCalloutTask",
                &serde_json::json!({"SdkAppId": 1, "TaskId": 2}),
            )
            .await
            .map_err(ccc_api::Error::from);
        for (path, result) in [
            ("typed", typed.map(|_| ())),
            ("call()", untyped.map(|_| ())),
        ] {
            let err = match result {
                Ok(()) => panic!("{path}: success for {body}"),
                Err(e) => e,
            };
            let got = match &*err {
                SdkError::Service(s) => Service(match s.raw_code.as_str() {
                    "InvalidParameter" => "InvalidParameter",
                    "InvalidParameterValue" => "InvalidParameterValue",
                    "X" => "X",
                    "A" => "A",
                    other => panic!("{path}: code {other} for {body}"),
                }),
                SdkError::Decode(d) if d.kind == DecodeErrorKind::MalformedError => Malformed,
                other => panic!("{path}: {other:?} for {body}"),
            };
            assert_eq!(got, expected, "{path}: {body}");
        }
    }
}

/// Retry decisions read the same verdict: a rate limit shaped like the cases
/// above is retried; a malformed error object is not.
#[tokio::test]
async fn a_rate_limit_in_any_shape_is_retried() {
    for body in [
        r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":null}}}"#,
        r#"{"Response":{"\u0045rror":{"Code":"RequestLimitExceeded.UinLimitExceeded"},"RequestId":"r"}}"#,
    ] {
        let server = TestServer::start(move |_| Reply::json(body)).await;
        let err = describe(&client(&server)).await.unwrap_err();
        assert_eq!(err.attempts(), 3, "{body}");
        assert_eq!(server.received().len(), 3, "{body}");
    }
    let server = TestServer::start(|_| {
        Reply::json(r#"{"Response":{"Error":{"Code":1,"Message":"RequestLimitExceeded"}}}"#)
    })
    .await;
    let err = describe(&client(&server)).await.unwrap_err();
    assert!(matches!(&*err, SdkError::Decode(d) if d.kind == DecodeErrorKind::MalformedError));
    assert_eq!(server.received().len(), 1);
}

/// Runs `call` and returns its result with the peak of live heap bytes above
/// what was live before it.
async fn peak_during<T>(call: impl std::future::Future<Output = T>) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = call.await;
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(base))
}

#[tokio::test]
async fn endless_and_inflating_answers_stop_at_the_limit() {
    let _one_at_a_time = MEASURING.lock().await;
    const MIB: usize = 1 << 20;
    let cases = [
        (false, 4 * MIB),
        (true, 4 * MIB),
        (false, ccc_api::DEFAULT_MAX_RESPONSE_SIZE),
        (true, ccc_api::DEFAULT_MAX_RESPONSE_SIZE),
    ];
    for (gzip, limit) in cases {
        let server = TestServer::start(move |_| Reply::Endless { gzip }).await;
        let c = builder(&server).max_response_size(limit).build().unwrap();
        let (result, peak) = peak_during(describe(&c)).await;
        let err = result.unwrap_err();
        let SdkError::Transport(t) = &*err else {
            panic!("{err:?}")
        };
        assert_eq!(t.kind, TransportErrorKind::ResponseTooLarge { limit });
        assert!(
            err.to_string().contains(&format!("limit of {limit} bytes")),
            "{err}"
        );
        // Not retried: the answer would be as large again.
        assert_eq!(err.attempts(), 1);
        // The body up to the limit, plus buffers of a few MB at most (the
        // test server's own compression buffers included).
        eprintln!(
            "gzip={gzip} limit={limit}: peak {peak} bytes ({:.2}x limit)",
            peak as f64 / limit as f64
        );
        assert!(
            peak <= limit + 8 * MIB,
            "gzip={gzip}: peak {peak} for limit {limit}"
        );
    }
}

#[tokio::test]
async fn a_declared_oversize_body_is_refused_before_reading() {
    let _one_at_a_time = MEASURING.lock().await;
    // Declares 100 MB and sends a few bytes: refused on the declaration,
    // never read (reading would fail on the cut-off instead).
    let server = TestServer::start(move |_| Reply::CutOff {
        declared: 100 << 20,
        body: b"{}".to_vec(),
    })
    .await;
    let c = builder(&server).max_response_size(1 << 20).build().unwrap();
    let (result, peak) = peak_during(describe(&c)).await;
    let err = result.unwrap_err();
    assert!(
        matches!(&*err, SdkError::Transport(t) if t.kind == TransportErrorKind::ResponseTooLarge { limit: 1 << 20 }),
        "{err:?}"
    );
    assert!(peak < 1 << 20, "peak {peak}");
    assert_eq!(err.attempts(), 1);
    // A per-call limit overrides the client's.
    let err = c
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .options(RequestOptions::new().max_response_size(10))
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("limit of 10 bytes"), "{err}");
}

#[tokio::test]
async fn redirects_are_not_followed_and_name_the_location() {
    let elsewhere = TestServer::start_unsigned(|_| Reply::json(TASK)).await;
    for status in [301u16, 302, 307, 308] {
        let location = format!("{}/steal?x=1", elsewhere.url());
        let server = TestServer::start(move |_| Reply::Headers {
            status,
            headers: vec![("location", location.clone())],
            body: Vec::new(),
        })
        .await;
        let err = describe(&client(&server)).await.unwrap_err();
        let SdkError::Decode(d) = &*err else {
            panic!("{err:?}")
        };
        assert_eq!(d.kind, DecodeErrorKind::Redirect);
        assert_eq!(d.status, status);
        assert!(err.to_string().contains("/steal?x=1"), "{err}");
        assert_eq!(err.attempts(), 1, "a redirect is not retried");
    }
    assert!(
        elsewhere.received().is_empty(),
        "the token left for another origin"
    );

    // A caller-supplied HTTP client that follows redirects: the answer from
    // elsewhere is refused all the same.
    let target = format!("{}/", elsewhere.url());
    let server = TestServer::start(move |_| Reply::Headers {
        status: 307,
        headers: vec![("location", target.clone())],
        body: Vec::new(),
    })
    .await;
    let c = builder(&server)
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let err = describe(&c).await.unwrap_err();
    assert!(
        matches!(&*err, SdkError::Decode(d) if d.kind == DecodeErrorKind::Redirect),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_5xx_is_repeated_only_for_calls_safe_to_repeat() {
    let html = || Reply::Body {
        status: 502,
        content_type: "text/html",
        body: b"<html>bad gateway</html>".to_vec(),
    };
    // CreateAutoCalloutTask may have run behind the gateway: sent once.
    let server = TestServer::start(move |_| html()).await;
    let err = create(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.received().len(), 1);
    // The caller can say it is safe, per call or per client.
    let server = TestServer::start(move |_| html()).await;
    create(&client(&server), RequestOptions::new().idempotent(true))
        .await
        .unwrap_err();
    assert_eq!(server.received().len(), 3);
    let server = TestServer::start(move |_| html()).await;
    let c = builder(&server).retry_non_idempotent(true).build().unwrap();
    create(&c, RequestOptions::new()).await.unwrap_err();
    assert_eq!(server.received().len(), 3);
    // And the other way: an idempotent action declared unsafe for one call.
    let server = TestServer::start(move |_| html()).await;
    let c = client(&server);
    let err = c
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .options(RequestOptions::new().idempotent(false))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);
    // Idempotent actions are repeated by default.
    let server = TestServer::start(move |_| html()).await;
    describe(&client(&server)).await.unwrap_err();
    assert_eq!(server.received().len(), 3);
    // A rate-limit refusal is safe for every action.
    let server =
        TestServer::start(|_| Reply::service_error("RequestLimitExceeded", "slow", "r")).await;
    create(&client(&server), RequestOptions::new())
        .await
        .unwrap_err();
    assert_eq!(server.received().len(), 3);
}

/// Secrets the service sends back (`UserSig`, login `Token`, extension
/// `Password`) never reach an error's text, its `Debug`, or a log line.
#[tokio::test]
async fn kept_bodies_hold_no_secret() {
    const SECRETS: [&str; 4] = ["eJwUSERSIG", "LOGINTOKEN", "EXTPASSWORD", "APIKEYVALUE"];
    let bodies = [
        // Wrong shape: decode error keeps the body.
        r#"{"Response":{"UserSig":"eJwUSERSIG","Token":"LOGINTOKEN","Password":"EXTPASSWORD","APIKey":"APIKEYVALUE","Name":7,"RequestId":"r"}}"#.to_owned(),
        // Cut off inside a secret.
        r#"{"Response":{"Name":"n","UserSig":"eJwUSERSIG"#.to_owned(),
        // Nested, with the secret the value serde complains about.
        r#"{"Response":{"Name":{"Token":"LOGINTOKEN","List":[{"Password":"EXTPASSWORD"}]},"UserSig":"eJwUSERSIG","APIKey":"APIKEYVALUE"}}"#.to_owned(),
        // A 5xx (retried, so logged) with secrets in its body.
        r#"{"Response":{"UserSig":"eJwUSERSIG","Token":"LOGINTOKEN","Password":"EXTPASSWORD","APIKey":"APIKEYVALUE"}}"#.to_owned(),
    ];
    for (i, body) in bodies.into_iter().enumerate() {
        let status = if i == 3 { 503 } else { 200 };
        let reply = body.clone();
        let server = TestServer::start(move |_| Reply::Body {
            status,
            content_type: "application/json",
            body: reply.clone().into_bytes(),
        })
        .await;
        let (logs, err) = with_logs(describe(&client(&server))).await;
        let err = err.unwrap_err();
        let SdkError::Decode(d) = &*err else {
            panic!("{err:?}")
        };
        let shown = format!("{err}\n{err:?}\n{}\n{}\n{logs}", d.body_prefix, d.detail);
        for secret in SECRETS {
            assert!(
                !shown.contains(secret),
                "{secret} leaked for body {i}:\n{shown}"
            );
        }
        assert!(shown.contains("***") || i == 1, "{shown}");
    }
    // The value serde complains about is not quoted in the message (it may be
    // a secret even where the member's name does not say so).
    let server = TestServer::start(|_| {
        Reply::json(r#"{"Response":{"Name":"n","Description":"d","NotBefore":"LOGINTOKEN","Callers":[],"Callees":[],"IvrId":1,"State":1,"RequestId":"r"}}"#)
    })
    .await;
    let err = describe(&client(&server)).await.unwrap_err();
    let SdkError::Decode(d) = &*err else {
        panic!("{err:?}")
    };
    assert!(!d.detail.contains("LOGINTOKEN"), "{d:?}");
    assert!(d.detail.contains("expected i64"), "{d:?}");
}

#[tokio::test]
async fn kept_bodies_are_bounded_as_printed() {
    // Control characters and quotes grow when escaped.
    for body in [
        format!("<{}", "\u{1}".repeat(20_000)),
        format!("<{}", "\"".repeat(20_000)),
    ] {
        let reply = body.clone();
        let server = TestServer::start(move |_| Reply::Body {
            status: 200,
            content_type: "text/html",
            body: reply.clone().into_bytes(),
        })
        .await;
        let err = describe(&client(&server)).await.unwrap_err();
        let SdkError::Decode(d) = &*err else {
            panic!("{err:?}")
        };
        assert!(format!("{:?}", d.body_prefix).len() <= 1024);
        assert!(err.to_string().len() <= 2048, "{}", err.to_string().len());
        assert_eq!(d.body_len, body.len());
    }
}

/// Collects what `tracing` logs at debug level while `f` runs.
async fn with_logs<T>(f: impl std::future::Future<Output = T>) -> (String, T) {
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if let Ok(mut v) = self.0.lock() {
                v.extend_from_slice(b);
            }
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let sink = Sink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let out = f.await;
    let text = String::from_utf8_lossy(&sink.0.lock().unwrap()).into_owned();
    (text, out)
}

#[tokio::test]
async fn a_password_in_the_endpoint_is_refused_without_being_shown() {
    for url in [
        "http://user:hunter2pw@127.0.0.1:9/",
        "http://user:hunter2pw@127.0.0.1:9:bad/",
        "ftp://user:hunter2pw@x/",
    ] {
        let builder = Client::builder()
            .credentials(Credentials::new("id", "key"))
            .endpoint_url(url);
        let shown = format!("{builder:?}");
        assert!(!shown.contains("hunter2pw"), "{shown}");
        let e = builder.build().unwrap_err();
        assert!(!format!("{e} {e:?}").contains("hunter2pw"), "{e}");
    }
    let e = Client::builder()
        .credentials(Credentials::new("id", "key"))
        .proxy("http://user:hunter2pw@[bad/")
        .build()
        .unwrap_err();
    assert!(!format!("{e} {e:?}").contains("hunter2pw"), "{e}");
}

/// Extreme settings saturate instead of panicking: a deadline too far to
/// represent means no deadline, a rate too small to wait for fails at the
/// deadline, and a nonsensical rate is a configuration error.
#[tokio::test]
async fn extreme_settings_do_not_panic() {
    let server = TestServer::start(|_| Reply::json(TASK)).await;
    for timeout in [
        Duration::MAX,
        Duration::from_secs(u64::MAX),
        Duration::from_nanos(u64::MAX),
    ] {
        let c = builder(&server)
            .timeout(timeout)
            .attempt_timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .unwrap();
        describe(&c).await.unwrap();
        let c = client(&server);
        let opts = RequestOptions::new()
            .timeout(timeout)
            .attempt_timeout(timeout);
        c.describe_auto_callout_task()
            .sdk_app_id(1)
            .task_id(2)
            .options(opts)
            .send()
            .await
            .unwrap();
    }
    // Huge backoffs with retries that do happen.
    let limited =
        TestServer::start(|_| Reply::service_error("RequestLimitExceeded", "slow", "r")).await;
    for max_backoff in [Duration::MAX, Duration::from_secs(u64::MAX)] {
        let retry = RetryConfig::new()
            .max_attempts(u32::MAX)
            .initial_backoff(Duration::MAX)
            .max_backoff(max_backoff);
        let c = builder(&limited)
            .retry(retry)
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        describe(&c).await.unwrap_err();
        let _ = retry.backoff(u32::MAX);
        let _ = retry.backoff(0);
    }
    // Rates so small the wait cannot be represented.
    for rate in [1e-30, 1e-19, f64::MIN_POSITIVE, 5e-324] {
        let c = builder(&server)
            .rate_limit(RateLimit::Overrides(HashMap::from([(
                "DescribeAutoCalloutTask".to_owned(),
                rate,
            )])))
            .timeout(Duration::from_millis(500))
            .build()
            .unwrap();
        describe(&c).await.unwrap(); // the first call has a token
        let err = describe(&c).await.unwrap_err();
        assert!(
            matches!(&*err, SdkError::Transport(t) if t.kind == TransportErrorKind::Timeout),
            "{err:?}"
        );
    }
    for rate in [f64::NAN, f64::INFINITY, -1.0, 0.0, -0.0] {
        let e = builder(&server)
            .rate_limit(RateLimit::Overrides(HashMap::from([(
                "A".to_owned(),
                rate,
            )])))
            .build()
            .unwrap_err();
        assert!(e.reason.contains("rate limit"), "{e}");
    }
}

/// A credentials source that never answers.
#[derive(Debug)]
struct Hung;

impl ProvideCredentials for Hung {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(std::future::pending())
    }
}

#[tokio::test]
async fn a_hung_credentials_source_obeys_the_call_deadline() {
    let server = TestServer::start(|_| Reply::json(TASK)).await;
    let c = Client::builder()
        .credentials_provider(Hung)
        .endpoint_url(server.url())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = describe(&c).await.unwrap_err();
    assert!(matches!(*err, SdkError::Credentials(_)), "{err:?}");
    assert!(err.to_string().contains("time limit"), "{err}");
    // Far below the 10 s a source's own timeout would take.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(server.received().is_empty());
}

//! Hooks around every attempt, over loopback HTTP against a server that checks
//! signatures: every attempt of a retried call is seen with its number, status,
//! latency, request id and code; a trace id a hook adds reaches the wire
//! without breaking the signature; the protocol headers and the secrets stay
//! out of a hook's reach; a hook may refuse an attempt.

use ccc_api::hooks::{AfterAttempt, BeforeAttempt, Hook, Refused};
use ccc_api::{BuildError, Client, Credentials, RetryConfig, SdkError};
use ccc_tests::server::{Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TOKEN: &str = "session-token-SECRET-0123";

/// What a hook saw of one attempt.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    action: String,
    attempt: u32,
    status: Option<u16>,
    latency: Duration,
    request_id: Option<String>,
    code: Option<String>,
    ok: bool,
    will_retry: bool,
}

/// Attempt numbers and the header names a hook was shown before each.
type BeforeLog = Arc<Mutex<Vec<(u32, Vec<String>)>>>;

/// Records every attempt, adds a trace id, and keeps everything it was shown
/// as text so the test can look for secrets in it.
#[derive(Default, Clone)]
struct Recorder {
    before: BeforeLog,
    after: Arc<Mutex<Vec<Seen>>>,
    shown: Arc<Mutex<String>>,
}

impl Hook for Recorder {
    fn before_attempt(&self, attempt: &mut BeforeAttempt<'_>) -> Result<(), Refused> {
        let names = attempt
            .headers()
            .iter()
            .map(|(k, _)| k.to_owned())
            .collect();
        self.before.lock().unwrap().push((attempt.attempt(), names));
        let shown = format!("{attempt:?} {:?}", attempt.headers());
        self.shown.lock().unwrap().push_str(&shown);
        let trace = format!("trace-{}-{}", attempt.action(), attempt.attempt());
        attempt
            .headers_mut()
            .insert("x-tc-traceid", &trace)
            .unwrap();
        Ok(())
    }

    fn after_attempt(&self, attempt: &AfterAttempt<'_>) {
        let shown = format!("{attempt:?} {:?}", attempt.error().map(|e| e.to_string()));
        self.shown.lock().unwrap().push_str(&shown);
        self.after.lock().unwrap().push(Seen {
            action: attempt.action().to_owned(),
            attempt: attempt.attempt(),
            status: attempt.status(),
            latency: attempt.latency(),
            request_id: attempt.request_id().map(str::to_owned),
            code: attempt.code().map(str::to_owned),
            ok: attempt.is_ok(),
            will_retry: attempt.will_retry(),
        });
    }
}

fn no_wait() -> RetryConfig {
    RetryConfig::new()
        .max_attempts(4)
        .initial_backoff(Duration::ZERO)
        .max_backoff(Duration::ZERO)
}

fn client(url: &str, hook: impl Hook) -> Client {
    Client::builder()
        .endpoint_url(url)
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY).with_token(TOKEN))
        .retry(no_wait())
        .hook(hook)
        .build()
        .unwrap()
}

/// Two refusals for the rate, then an answer: three attempts, each seen before
/// and after with its number, and each sent with its own trace id.
#[tokio::test]
async fn every_attempt_of_a_retried_call_is_seen() {
    let n = Arc::new(AtomicUsize::new(0));
    let count = n.clone();
    let server = TestServer::start(move |_| {
        let i = count.fetch_add(1, Ordering::SeqCst) + 1;
        let answer = if i < 3 {
            Reply::service_error("RequestLimitExceeded", "slow down", &format!("rid-{i}"))
        } else {
            Reply::json(format!(
                r#"{{"Response":{{"Name":"t","RequestId":"rid-{i}"}}}}"#
            ))
        };
        // A known least latency per attempt.
        Reply::Delayed(Duration::from_millis(50), Box::new(answer))
    })
    .await;
    let hook = Recorder::default();
    let c = client(&server.url(), hook.clone());
    let task = c
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .send()
        .await
        .unwrap();
    assert_eq!(task.name, "t");

    let after = hook.after.lock().unwrap().clone();
    let summary: Vec<_> = after
        .iter()
        .map(|s| {
            (
                s.attempt,
                s.status,
                s.request_id.as_deref(),
                s.code.as_deref(),
                s.ok,
                s.will_retry,
            )
        })
        .collect();
    let rle = Some("RequestLimitExceeded");
    assert_eq!(
        summary,
        [
            (1, Some(200), Some("rid-1"), rle, false, true),
            (2, Some(200), Some("rid-2"), rle, false, true),
            (3, Some(200), Some("rid-3"), None, true, false),
        ]
    );
    for seen in &after {
        assert_eq!(seen.action, "DescribeAutoCalloutTask");
        // At least the server's delay; the upper bound is generous for a
        // loaded machine.
        assert!(
            seen.latency >= Duration::from_millis(50) && seen.latency < Duration::from_secs(30),
            "{seen:?}"
        );
    }
    let before = hook.before.lock().unwrap().clone();
    assert_eq!(
        before.iter().map(|(a, _)| *a).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    // The hook never had the secrets in its hands.
    for (_, names) in &before {
        for secret in ["authorization", "x-tc-token", "host"] {
            assert!(!names.iter().any(|n| n == secret), "{names:?}");
        }
        assert!(names.iter().any(|n| n == "x-tc-action"), "{names:?}");
    }
    let shown = hook.shown.lock().unwrap().clone();
    for secret in [TEST_SECRET_KEY, TOKEN, "Signature="] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }

    // On the wire: one trace id per attempt, the User-Agent, and a signature
    // the server accepted.
    let received = server.received();
    assert_eq!(received.len(), 3);
    for (i, r) in received.iter().enumerate() {
        assert_eq!(r.signature, Ok(()), "attempt {}", i + 1);
        assert_eq!(
            r.header("x-tc-traceid"),
            Some(format!("trace-DescribeAutoCalloutTask-{}", i + 1).as_str())
        );
        let client_name = ccc_api::SERVICE_DESCRIPTION.request_client();
        assert_eq!(client_name, concat!("ccc-api/", env!("CARGO_PKG_VERSION")));
        assert_eq!(r.header("user-agent"), Some(client_name));
        assert_eq!(r.header("x-tc-requestclient"), Some(client_name));
        assert_eq!(r.header("x-tc-token"), Some(TOKEN));
        let hosts = r.headers.iter().filter(|(n, _)| n == "host").count();
        assert_eq!(hosts, 1, "{:?}", r.headers);
    }
}

/// Tries to change every header the protocol depends on.
struct Meddler;

impl Hook for Meddler {
    fn before_attempt(&self, attempt: &mut BeforeAttempt<'_>) -> Result<(), Refused> {
        let h = attempt.headers_mut();
        for (name, value) in [
            ("authorization", "TC3-HMAC-SHA256 forged"),
            ("x-tc-token", "forged-token"),
            ("host", "elsewhere.example"),
            ("content-type", "text/plain"),
            ("x-tc-action", "DeleteStaff"),
            ("x-tc-version", "1999-01-01"),
            ("x-tc-timestamp", "1"),
            ("user-agent", "my-app/2.0"),
            ("x-tc-region", "ap-singapore"),
        ] {
            h.insert(name, value).unwrap();
        }
        Ok(())
    }
}

#[tokio::test]
async fn protocol_headers_are_not_a_hooks_to_change() {
    let server =
        TestServer::start(|_| Reply::json(r#"{"Response":{"Name":"t","RequestId":"r"}}"#)).await;
    let c = Client::builder()
        .endpoint_url(server.url())
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .hook(Meddler)
        .build()
        .unwrap();
    c.describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .send()
        .await
        .unwrap();
    let r = &server.received()[0];
    assert_eq!(r.signature, Ok(()));
    assert_eq!(r.header("x-tc-action"), Some("DescribeAutoCalloutTask"));
    assert_eq!(r.header("x-tc-version"), Some(ccc_api::VERSION));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("host"), Some(&server.url()["http://".len()..]));
    assert_ne!(r.header("x-tc-timestamp"), Some("1"));
    assert_eq!(r.header("x-tc-token"), None, "no token without one");
    // What is the hook's to set.
    assert_eq!(r.header("user-agent"), Some("my-app/2.0"));
    assert_eq!(r.header("x-tc-region"), Some("ap-singapore"));
}

/// Refuses every attempt after the first `allowed`.
struct Budget {
    allowed: u32,
}

impl Hook for Budget {
    fn before_attempt(&self, attempt: &mut BeforeAttempt<'_>) -> Result<(), Refused> {
        if attempt.attempt() > self.allowed {
            return Err(Refused::new(format!(
                "attempt budget of {} spent",
                self.allowed
            )));
        }
        Ok(())
    }
}

/// A refusal ends the call at once, as a `Build` error, and nothing more is
/// sent; hooks after the refusing one are not asked before it.
#[tokio::test]
async fn a_hook_may_refuse_an_attempt() {
    for allowed in 0..3u32 {
        let server = TestServer::start(|_| Reply::Body {
            status: 502,
            content_type: "text/plain",
            body: b"bad gateway".to_vec(),
        })
        .await;
        let recorder = Recorder::default();
        let c = Client::builder()
            .endpoint_url(server.url())
            .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
            .retry(no_wait())
            .hook(Budget { allowed })
            .hook(recorder.clone())
            .build()
            .unwrap();
        let e = c
            .describe_auto_callout_task()
            .sdk_app_id(1)
            .task_id(2)
            .send()
            .await
            .unwrap_err();
        let SdkError::Build(BuildError::Refused(reason)) = &e else {
            panic!("allowed {allowed}: {e:?}");
        };
        assert_eq!(reason, &format!("attempt budget of {allowed} spent"));
        assert_eq!(server.received().len(), allowed as usize);
        assert_eq!(recorder.before.lock().unwrap().len(), allowed as usize);
        // After-hooks see the refused attempt end too, unsent.
        let after = recorder.after.lock().unwrap().clone();
        let (refused, sent) = after.split_last().unwrap();
        assert_eq!(sent.len(), allowed as usize);
        assert!(sent.iter().all(|s| s.status == Some(502) && s.will_retry));
        assert_eq!((refused.attempt, refused.status), (allowed + 1, None));
        assert!(!refused.ok && !refused.will_retry);
    }
}

/// A connection that cannot be made: no status, the error, and the retry
/// decision, for each attempt.
#[tokio::test]
async fn failed_connections_are_seen_without_a_status() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let hook = Recorder::default();
    let c = client(&format!("http://127.0.0.1:{port}"), hook.clone());
    let e = c
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(e, SdkError::Transport(_)), "{e:?}");
    let after = hook.after.lock().unwrap().clone();
    let summary: Vec<_> = after
        .iter()
        .map(|s| {
            (
                s.attempt,
                s.status,
                s.ok,
                s.will_retry,
                s.request_id.clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (1, None, false, true, None),
            (2, None, false, true, None),
            (3, None, false, true, None),
            (4, None, false, false, None),
        ]
    );
}

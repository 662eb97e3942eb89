//! Retries, deadlines, per-request options and the `call` escape hatch, over HTTP
//! on 127.0.0.1 against a server that injects faults.

use ccc_api::credentials::CredentialsFuture;
use ccc_api::{
    Client, Credentials, ProvideCredentials, RateLimit, RequestOptions, RetryConfig, SdkError,
    TransportErrorKind,
};
use ccc_tests::server::{Reply, TestServer, TEST_SECRET_ID, TEST_SECRET_KEY};
use serde_json::json;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TASK: &str = r#"{"Response":{"Name":"n","Description":"d","NotBefore":1,"NotAfter":2,"Callers":[],"Callees":[],"IvrId":1,"State":1,"RequestId":"ok-1"}}"#;
const CREATED: &str = r#"{"Response":{"TaskId":9,"RequestId":"ok-2"}}"#;

fn fast_retries(attempts: u32) -> RetryConfig {
    RetryConfig::new()
        .max_attempts(attempts)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

fn client(server: &TestServer, attempts: u32) -> Client {
    Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(server.url())
        .retry(fast_retries(attempts))
        .rate_limit(RateLimit::Off)
        .build()
        .unwrap()
}

/// Answers `faults` in turn, then `last` forever.
fn script(
    faults: Vec<Reply>,
    last: Reply,
) -> impl Fn(&ccc_tests::server::Received) -> Reply + Send + Sync {
    let n = AtomicUsize::new(0);
    move |_| {
        faults
            .get(n.fetch_add(1, Ordering::SeqCst))
            .cloned()
            .unwrap_or_else(|| last.clone())
    }
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

#[tokio::test]
async fn request_limit_exceeded_is_retried() {
    let limited = Reply::service_error(
        "RequestLimitExceeded.UinLimitExceeded",
        "slow down",
        "r-limit",
    );
    let server = TestServer::start(script(vec![limited.clone(), limited], Reply::json(TASK))).await;
    let task = describe(&client(&server, 3)).await.unwrap();
    assert_eq!(task.request_id, "ok-1");
    let sent = server.received();
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|r| r.signature.is_ok()));
}

#[tokio::test]
async fn gives_up_after_the_attempt_limit_and_says_so() {
    let server =
        TestServer::start(|_| Reply::service_error("RequestLimitExceeded", "slow down", "r-9"))
            .await;
    let err = describe(&client(&server, 3)).await.unwrap_err();
    assert_eq!(err.attempts(), 3);
    assert_eq!(server.received().len(), 3);
    assert!(
        err.to_string()
            .ends_with("(request id r-9) after 3 attempts"),
        "{err}"
    );
}

#[tokio::test]
async fn other_service_errors_are_not_retried() {
    let server =
        TestServer::start(|_| Reply::service_error("InvalidParameterValue", "bad", "r")).await;
    let err = describe(&client(&server, 5)).await.unwrap_err();
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn http_5xx_without_a_service_answer_is_retried() {
    let html = Reply::Body {
        status: 502,
        content_type: "text/html",
        body: b"<html>bad gateway</html>".to_vec(),
    };
    let server = TestServer::start(script(vec![html.clone(), html], Reply::json(TASK))).await;
    describe(&client(&server, 3)).await.unwrap();
    assert_eq!(server.received().len(), 3);
    // A non-JSON 200 is not a transient fault.
    let server = TestServer::start(|_| Reply::Body {
        status: 200,
        content_type: "text/html",
        body: b"<html/>".to_vec(),
    })
    .await;
    let err = describe(&client(&server, 3)).await.unwrap_err();
    assert!(matches!(*err, SdkError::Decode(_)));
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_timeout_after_sending_is_retried_only_when_idempotent() {
    let slow = Reply::Delayed(Duration::from_millis(600), Box::new(Reply::json(TASK)));
    let server = TestServer::start(script(vec![slow], Reply::json(TASK))).await;
    let c = client(&server, 3);
    let opts = RequestOptions::new().attempt_timeout(Duration::from_millis(200));
    let task = c
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .options(opts.clone())
        .send()
        .await;
    assert!(task.is_ok(), "{task:?}");
    assert_eq!(server.received().len(), 2);

    // CreateAutoCalloutTask may have run: not sent again.
    let slow = Reply::Delayed(Duration::from_millis(600), Box::new(Reply::json(CREATED)));
    let server = TestServer::start(script(vec![slow], Reply::json(CREATED))).await;
    let err = client(&server, 3)
        .create_auto_callout_task()
        .sdk_app_id(1)
        .not_before(0)
        .callees(vec!["008613900000000"])
        .callers(vec!["008610000"])
        .ivr_id(1)
        .options(opts)
        .send()
        .await
        .unwrap_err();
    let SdkError::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind, TransportErrorKind::Timeout);
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_dropped_connection_is_retried_only_when_idempotent() {
    let server = TestServer::start(script(vec![Reply::Drop], Reply::json(TASK))).await;
    describe(&client(&server, 3)).await.unwrap();
    assert_eq!(server.received().len(), 2);

    let server = TestServer::start(script(vec![Reply::Drop], Reply::json(CREATED))).await;
    let c = client(&server, 3);
    let err = c
        .call("CreateAutoCalloutTask", &json!({"SdkAppId": 1}))
        .await
        .unwrap_err();
    assert!(matches!(err, SdkError::Transport(_)), "{err:?}");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn connection_refused_is_retried_then_reported() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .retry(fast_retries(4))
        .build()
        .unwrap();
    let err = c
        .call("CreateAutoCalloutTask", &json!({}))
        .await
        .unwrap_err();
    let SdkError::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(t.kind, TransportErrorKind::Connect);
    // Connection failures never reached the service: retried even for a Create.
    assert_eq!(err.attempts(), 4);
}

#[tokio::test]
async fn the_overall_deadline_bounds_every_retry() {
    let server =
        TestServer::start(|_| Reply::Delayed(Duration::from_secs(2), Box::new(Reply::json(TASK))))
            .await;
    let c = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(server.url())
        .retry(fast_retries(10))
        .attempt_timeout(Duration::from_millis(150))
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = describe(&c).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert!(
        matches!(*err, SdkError::Transport(ref t) if t.kind == TransportErrorKind::Timeout),
        "{err:?}"
    );
    assert!(
        (2..=4).contains(&server.received().len()),
        "{}",
        server.received().len()
    );
}

/// Hands out a different key pair on every call.
#[derive(Debug, Default)]
struct Rotating(AtomicUsize);

impl ProvideCredentials for Rotating {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move { Ok(Credentials::new(format!("AKID{n}"), format!("key{n}"))) })
    }
}

#[tokio::test]
async fn every_attempt_is_signed_afresh() {
    let keys: HashMap<String, String> = (0..5)
        .map(|n| (format!("AKID{n}"), format!("key{n}")))
        .collect();
    let limited = Reply::service_error("RequestLimitExceeded", "slow down", "r");
    let server = TestServer::start_with_keys(
        keys,
        script(vec![limited.clone(), limited], Reply::json(TASK)),
    )
    .await;
    let c = Client::builder()
        .credentials_provider(Rotating::default())
        .endpoint_url(server.url())
        .retry(fast_retries(3))
        .build()
        .unwrap();
    describe(&c).await.unwrap();
    let sent = server.received();
    assert_eq!(sent.len(), 3);
    let auths: Vec<&str> = sent
        .iter()
        .map(|r| r.header("authorization").unwrap())
        .collect();
    assert!(
        auths[0].contains("Credential=AKID0/")
            && auths[1].contains("Credential=AKID1/")
            && auths[2].contains("Credential=AKID2/"),
        "{auths:?}"
    );
    assert!(sent.iter().all(|r| r.signature.is_ok()));
}

#[tokio::test]
async fn per_request_options_override_region_language_and_retries() {
    let server =
        TestServer::start(|_| Reply::service_error("RequestLimitExceeded", "slow", "r")).await;
    let c = client(&server, 5);
    let opts = RequestOptions::new()
        .region("ap-singapore")
        .language(ccc_api::Language::ZhCn)
        .max_attempts(1);
    let err = c
        .describe_auto_callout_task()
        .sdk_app_id(1)
        .task_id(2)
        .options(opts)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1);
    let r = &server.received()[0];
    assert_eq!(r.header("x-tc-region"), Some("ap-singapore"));
    assert_eq!(r.header("x-tc-language"), Some("zh-CN"));
}

#[tokio::test]
async fn call_reaches_any_action_with_the_same_signing_and_errors() {
    let server = TestServer::start(|req| {
        if req.header("x-tc-action") == Some("DescribeSomethingNew") {
            Reply::json(r#"{"Response":{"Things":[1,2],"RequestId":"new-1"}}"#)
        } else {
            Reply::service_error("InvalidAction", "no such action", "r-x")
        }
    })
    .await;
    let c = client(&server, 3);
    let out = c
        .call(
            "DescribeSomethingNew",
            &json!({"SdkAppId": 1, "Filter": {"A": [1]}}),
        )
        .await
        .unwrap();
    assert_eq!(out, json!({"Things": [1, 2], "RequestId": "new-1"}));
    let r = &server.received()[0];
    assert_eq!(r.signature, Ok(()));
    assert_eq!(r.json(), json!({"SdkAppId": 1, "Filter": {"A": [1]}}));

    let err = c.call("Nope", &json!({})).await.unwrap_err();
    assert_eq!(err.raw_code(), Some("InvalidAction"));
    assert_eq!(err.request_id(), Some("r-x"));
}

#[tokio::test]
async fn limiter_smooths_a_burst_so_the_server_refuses_none() {
    // The server allows `RATE` requests in any one-second window, like the service.
    const RATE: usize = 100;
    let arrivals = Arc::new(std::sync::Mutex::new(Vec::<Instant>::new()));
    let refused = Arc::new(AtomicUsize::new(0));
    let (a, r) = (arrivals.clone(), refused.clone());
    let server = TestServer::start(move |_| {
        let now = Instant::now();
        let mut list = a.lock().unwrap();
        list.retain(|t| now.duration_since(*t) < Duration::from_secs(1));
        if list.len() >= RATE {
            r.fetch_add(1, Ordering::SeqCst);
            return Reply::service_error("RequestLimitExceeded", "too fast", "r");
        }
        list.push(now);
        Reply::json(TASK)
    })
    .await;
    let c = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(server.url())
        .retry(RetryConfig::disabled())
        .rate_limit(RateLimit::Overrides(HashMap::from([(
            "DescribeAutoCalloutTask".to_owned(),
            RATE as f64 * 0.95,
        )])))
        .build()
        .unwrap();
    let started = Instant::now();
    let calls: Vec<_> = (0..200)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { describe(&c).await })
        })
        .collect();
    let mut failed = 0;
    for call in calls {
        if call.await.unwrap().is_err() {
            failed += 1;
        }
    }
    assert_eq!(
        failed,
        0,
        "refused by the server: {}",
        refused.load(Ordering::SeqCst)
    );
    // 200 calls at 95/s cannot finish much before two seconds.
    assert!(
        started.elapsed() > Duration::from_millis(1800),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn without_the_limiter_the_same_burst_is_refused() {
    const RATE: usize = 20;
    let count = Arc::new(AtomicUsize::new(0));
    let c2 = count.clone();
    let server = TestServer::start(move |_| {
        if c2.fetch_add(1, Ordering::SeqCst) >= RATE {
            Reply::service_error("RequestLimitExceeded", "too fast", "r")
        } else {
            Reply::json(TASK)
        }
    })
    .await;
    let c = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(server.url())
        .retry(RetryConfig::disabled())
        .rate_limit(RateLimit::Off)
        .build()
        .unwrap();
    let results = futures_join(c, 40).await;
    assert_eq!(results.iter().filter(|r| r.is_err()).count(), 20);
}

async fn futures_join(c: Client, n: usize) -> Vec<Result<(), ()>> {
    let calls: Vec<_> = (0..n)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { describe(&c).await.map(|_| ()).map_err(|_| ()) })
        })
        .collect();
    let mut out = Vec::new();
    for call in calls {
        out.push(call.await.unwrap());
    }
    out
}

#[tokio::test]
async fn the_spec_rate_applies_by_default() {
    // DescribeAutoCalloutTask is documented at 20 requests per second.
    let server = TestServer::start(|_| Reply::json(TASK)).await;
    let c = Client::builder()
        .credentials(Credentials::new(TEST_SECRET_ID, TEST_SECRET_KEY))
        .endpoint_url(server.url())
        .build()
        .unwrap();
    let started = Instant::now();
    let results = futures_join(c, 21).await;
    assert!(results.iter().all(|r| r.is_ok()));
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}
